import assert from "node:assert/strict"
import type { ModelPort } from "@xionimus/llm"
import type { Session, StoredEvent } from "@xionimus/protocol"
import type { FastifyInstance } from "fastify"
import { eventually } from "./frame-client.ts"
import { createTestApp, type TestApp, type TestAppOptions } from "./test-app.ts"

/** The model sessions use in these tests (the scripted model answers whatever is asked). */
export const testModel = "scripted/model"

/** A test app whose model calls all go to `model` (a scripted model, or any ModelPort). */
export function createSessionTestApp(model: ModelPort, options: TestAppOptions = {}): Promise<TestApp> {
  return createTestApp({
    ...options,
    config: { ...options.config, models: { default: testModel, ...options.config?.models } },
    services: { ...options.services, modelPort: model },
  })
}

export async function createSession(
  app: FastifyInstance,
  projectId: string,
  body: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<Session> {
  const response = await app.inject({
    method: "POST",
    url: `/api/projects/${projectId}/sessions`,
    headers,
    payload: body,
  })
  assert.equal(response.statusCode, 201, response.body)
  return response.json() as Session
}

export async function sendMessage(
  app: FastifyInstance,
  sessionId: string,
  text: string,
  headers: Record<string, string> = {},
): Promise<{ messageId: string; queued: boolean }> {
  const response = await app.inject({
    method: "POST",
    url: `/api/sessions/${sessionId}/messages`,
    headers,
    payload: { text },
  })
  assert.equal(response.statusCode, 202, response.body)
  return response.json() as { messageId: string; queued: boolean }
}

/** Every event of the session's log, through the API. */
export async function sessionEvents(app: FastifyInstance, sessionId: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = []
  for (;;) {
    const response = await app.inject({
      method: "GET",
      url: `/api/sessions/${sessionId}/events?after=${events.at(-1)?.seq ?? 0}&limit=1000`,
    })
    assert.equal(response.statusCode, 200, response.body)
    const page = response.json() as { items: StoredEvent[]; head: number }
    events.push(...page.items)
    if (page.items.length === 0 || events.at(-1)!.seq >= page.head) return events
  }
}

/** Waits until the session's log holds an event of `type` (and `match`), and returns it. */
export async function waitForEvent(
  app: FastifyInstance,
  sessionId: string,
  type: string,
  match: (event: StoredEvent) => boolean = () => true,
): Promise<StoredEvent> {
  let found: StoredEvent | undefined
  let polling = false
  await eventually(() => {
    if (!polling) {
      polling = true
      sessionEvents(app, sessionId)
        .then((events) => {
          found = events.find((event) => event.type === type && match(event))
        })
        .finally(() => {
          polling = false
        })
    }
    return found !== undefined
  }, `a ${type} event in ${sessionId}`)
  return found!
}

export const typesOf = (events: StoredEvent[]) => events.map((event) => event.type)

/** The text the assistant streamed in these events. */
export const assistantText = (events: StoredEvent[]) =>
  events
    .filter((event) => event.type === "assistant.text")
    .map((event) => (event.data as { text: string }).text)
    .join("")
