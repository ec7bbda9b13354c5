// End to end over the real AI SDK path: a provider configured at the mock provider server's base URL, a
// message over HTTP, and the streamed parts arriving at a WebSocket client in order.
import assert from "node:assert/strict"
import type { AddressInfo } from "node:net"
import { after, before, test } from "node:test"
import type { ServerFrame, StoredEvent } from "@xionimus/protocol"
import { type MockProviderServer, startMockProvider } from "@xionimus/testing"
import { createProject } from "./support/expect-error.ts"
import { connectFrames } from "./support/frame-client.ts"
import { assistantText, createSession, sendMessage, sessionEvents } from "./support/session-app.ts"
import { createTestApp, type TestApp } from "./support/test-app.ts"

type EventFrame = Extract<ServerFrame, { type: "event" }>

let mock: MockProviderServer
let harness: TestApp
let socketUrl: string

before(async () => {
  mock = await startMockProvider({ apiKey: "mock-key" })
  harness = await createTestApp({
    config: {
      providers: { mock: { type: "openai", baseURL: mock.baseURLs.openai, apiKey: "mock-key", api: "chat" } },
      // The catalog does not know the mock's model; it is told that it reads images.
      models: { default: "mock/gpt-mock", catalog: { "mock/gpt-mock": { capabilities: { vision: true } } } },
    },
  })
  await harness.app.listen({ host: "127.0.0.1", port: 0 })
  socketUrl = `ws://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}/api/stream`
})
after(async () => {
  await harness.close()
  await mock.close()
})

/** Collects a session's events from a subscribed client until the turn ends. */
async function untilTurnEnds(client: Awaited<ReturnType<typeof connectFrames>>): Promise<StoredEvent[]> {
  const events: StoredEvent[] = []
  for (;;) {
    const frame = (await client.next((candidate) => candidate.type === "event")) as EventFrame
    events.push(frame.event)
    if (frame.event.type === "turn.ended") return events
  }
}

test("streamed text parts from the provider reach a WebSocket client in order", async () => {
  const chunks = ["Streamed ", "through ", "the ", "real ", "SDK ", "path."]
  mock.enqueue({
    type: "stream",
    blocks: [{ type: "text", chunks }],
    usage: { input: 30, output: 6 },
    delayMs: 20,
  })
  const project = await createProject(harness.app, "Mock provider")
  const session = await createSession(harness.app, project.id, { title: "Over the wire" })
  const client = await connectFrames(socketUrl, harness.ownerHeaders)
  client.send({ type: "subscribe", stream: session.id, after: 0 })
  await client.next((frame) => frame.type === "subscribed")

  await sendMessage(harness.app, session.id, "Tell me how you got here")
  const received = await untilTurnEnds(client)
  await client.close()

  assert.equal(assistantText(received), chunks.join(""))
  assert.deepEqual(
    received.map((event) => event.seq),
    received.map((_, index) => index + 1),
    "every seq, in order, none twice",
  )
  assert.deepEqual(received, await sessionEvents(harness.app, session.id))
  const types = received.map((event) => event.type)
  assert.ok(types.indexOf("assistant.started") < types.indexOf("assistant.text"))
  assert.ok(types.lastIndexOf("assistant.text") < types.indexOf("assistant.finished"))
  const finished = received.find((event) => event.type === "assistant.finished")!.data as {
    usage?: { inputTokens: number; outputTokens: number }
  }
  assert.deepEqual([finished.usage?.inputTokens, finished.usage?.outputTokens], [30, 6])
  assert.equal((received.at(-1)!.data as { outcome: string }).outcome, "completed")

  // The SDK spoke Chat Completions to the mock, with the user's message in it.
  const request = mock.requests.at(-1)!
  assert.equal(request.format, "openai-chat")
  assert.equal(request.model, "gpt-mock")
  assert.match(JSON.stringify(request.body), /Tell me how you got here/)
})

test("a client that drops while the provider streams, and resubscribes after its last seq, gets exactly the rest", async () => {
  const chunks = Array.from({ length: 20 }, (_, index) => `part${index} `)
  mock.enqueue({ type: "stream", blocks: [{ type: "text", chunks }], delayMs: 50 })
  const project = await createProject(harness.app, "Mock drop")
  const session = await createSession(harness.app, project.id)
  const first = await connectFrames(socketUrl, harness.ownerHeaders)
  first.send({ type: "subscribe", stream: session.id, after: 0 })
  await first.next((frame) => frame.type === "subscribed")
  await sendMessage(harness.app, session.id, "Stream slowly")
  const seen: StoredEvent[] = []
  for (;;) {
    const frame = (await first.next((candidate) => candidate.type === "event")) as EventFrame
    seen.push(frame.event)
    if (frame.event.type === "assistant.text") break
  }
  await first.close()

  await harness.services.sessions.idle(session.id)
  const log = await sessionEvents(harness.app, session.id)
  const second = await connectFrames(socketUrl, harness.ownerHeaders)
  second.send({ type: "subscribe", stream: session.id, after: seen.at(-1)!.seq })
  await second.next((frame) => frame.type === "subscribed")
  const rest = await untilTurnEnds(second)
  await second.close()
  assert.deepEqual([...seen, ...rest], log)
  assert.equal(assistantText(log), chunks.join(""))
})

test("a provider that refuses the key ends the turn failed, with the reason, over the same stream", async () => {
  mock.enqueue({ type: "error", error: "auth" })
  const project = await createProject(harness.app, "Refused")
  const session = await createSession(harness.app, project.id)
  const client = await connectFrames(socketUrl, harness.ownerHeaders)
  client.send({ type: "subscribe", stream: session.id, after: 0 })
  await client.next((frame) => frame.type === "subscribed")
  await sendMessage(harness.app, session.id, "Hello?")
  const received = await untilTurnEnds(client)
  await client.close()
  const ended = received.at(-1)!.data as { outcome: string; error?: { code: string } }
  assert.equal(ended.outcome, "failed")
  assert.ok(ended.error?.code, JSON.stringify(ended))
})

test("an image attached to a message reaches the provider as an image part; a missing one is refused", async () => {
  const pixel = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
    "base64",
  )
  mock.enqueue({ type: "stream", blocks: [{ type: "text", chunks: ["A dot."] }] })
  const project = await createProject(harness.app, "Attached image")
  await harness.services.workspaces.files(project.id).write(".xionimus/attachments/x/dot.png", pixel)
  const session = await createSession(harness.app, project.id)
  const missing = await harness.app.inject({
    method: "POST",
    url: `/api/sessions/${session.id}/messages`,
    payload: { text: "What is this?", attachments: [".xionimus/attachments/x/gone.png"] },
  })
  assert.equal(missing.statusCode, 404, missing.body)
  assert.equal(missing.json().error.code, "FILE_NOT_FOUND")
  const empty = await harness.app.inject({
    method: "POST",
    url: `/api/sessions/${session.id}/messages`,
    payload: { text: "  ", attachments: [] },
  })
  assert.equal(empty.statusCode, 400, empty.body)
  assert.equal(empty.json().error.code, "VALIDATION_FAILED")
  assert.match(empty.body, /Write a message or attach a file/)
  const sent = await harness.app.inject({
    method: "POST",
    url: `/api/sessions/${session.id}/messages`,
    payload: { text: "", attachments: [".xionimus/attachments/x/dot.png"] },
  })
  assert.equal(sent.statusCode, 202, sent.body)
  await harness.services.sessions.idle(session.id)

  // Chat Completions takes an image as an image_url content part holding a data URL.
  const request = mock.requests.at(-1)!
  const user = (request.body as { messages: { role: string; content: unknown }[] }).messages.find(
    (message) => message.role === "user",
  )!
  const parts = user.content as { type: string; text?: string; image_url?: { url: string } }[]
  assert.deepEqual(
    parts.map((part) => part.type),
    ["text", "text", "image_url"],
  )
  // A message of attachments only: the model reads the list of files.
  assert.equal(parts[0]!.text, "Attached files (in the project):\n- `.xionimus/attachments/x/dot.png`")
  assert.equal(parts[2]!.image_url!.url, `data:image/png;base64,${pixel.toString("base64")}`)
  assert.equal(assistantText(await sessionEvents(harness.app, session.id)), "A dot.")
  const titled = await harness.app.inject({ method: "GET", url: `/api/sessions/${session.id}` })
  assert.equal(titled.json().title, "dot.png")
})
