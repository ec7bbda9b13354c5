// Compaction on demand (POST /api/sessions/:id/compact, the chat's /compact) in process over the real
// engine, SQLite and the scripted model: the older messages are summarised and the next turn's prompt
// carries the summary; nothing to compact, a running turn and an unknown session are answered clearly.
import assert from "node:assert/strict"
import { after, before, test } from "node:test"
import { summaryInstructions } from "@xionimus/agent"
import type { CompactResult, Session } from "@xionimus/protocol"
import { createScriptedModel } from "@xionimus/testing"
import { createProject, expectError } from "./support/expect-error.ts"
import {
  createSession,
  createSessionTestApp,
  sendMessage,
  sessionEvents,
  waitForEvent,
} from "./support/session-app.ts"
import type { TestApp } from "./support/test-app.ts"

const model = createScriptedModel()
let harness: TestApp

before(async () => {
  harness = await createSessionTestApp(model)
})
after(async () => {
  await harness.close()
  model.verify()
})

const compact = (sessionId: string) =>
  harness.app.inject({ method: "POST", url: `/api/sessions/${sessionId}/compact` })
const usageOf = async (sessionId: string) =>
  ((await harness.app.inject({ method: "GET", url: `/api/sessions/${sessionId}` })).json() as Session).usage

async function exchange(sessionId: string, text: string, answer: string): Promise<void> {
  model.enqueue({ text: answer })
  await sendMessage(harness.app, sessionId, text)
  await harness.services.sessions.idle(sessionId)
}

test("the messages before the latest one are summarised, billed, and the next prompt carries the summary", async () => {
  const project = await createProject(harness.app, "Compact")
  const session = await createSession(harness.app, project.id)
  await exchange(session.id, "Use tabs in the parser", "Noted: tabs.")
  await exchange(session.id, "Rename parse() to read()", "Renamed.")
  await exchange(session.id, "Now add a test", "Added a test.")
  const before = await usageOf(session.id)

  model.enqueue({
    text: "The user wants tabs in the parser; parse() was renamed to read().",
    usage: { inputTokens: 40, outputTokens: 12 },
  })
  const response = await compact(session.id)
  assert.equal(response.statusCode, 200, response.body)
  const result = response.json() as CompactResult
  assert.equal(result.compacted, true)
  assert.ok(Number.isInteger(result.tokensBefore) && Number.isInteger(result.tokensAfter), response.body)

  const summaryCall = model.requests.at(-1)
  assert.equal(summaryCall?.system, summaryInstructions)
  assert.match(JSON.stringify(summaryCall?.messages), /Use tabs in the parser/)
  assert.doesNotMatch(
    JSON.stringify(summaryCall?.messages),
    /Now add a test/,
    "the latest exchange is kept as it is",
  )

  const events = await sessionEvents(harness.app, session.id)
  const compacted = events.filter((event) => event.type === "session.compacted")
  assert.equal(compacted.length, 1)
  const data = compacted[0]?.data as { summary: string; throughSeq: number; tokensBefore: number }
  assert.match(data.summary, /parse\(\) was renamed to read\(\)/)
  const latest = events.find(
    (event) => event.type === "message.created" && (event.data as { text: string }).text === "Now add a test",
  )
  assert.equal(data.throughSeq, (latest?.seq ?? 0) - 1)
  assert.equal(data.tokensBefore, result.tokensBefore)

  const billed = await usageOf(session.id)
  assert.equal(billed.inputTokens - before.inputTokens, 40)
  assert.equal(billed.outputTokens - before.outputTokens, 12)

  // The next turn reads the summary instead of the summarised messages.
  await exchange(session.id, "Run the tests", "They pass.")
  const prompt = JSON.stringify(model.requests.at(-1)?.messages)
  assert.match(prompt, /parse\(\) was renamed to read\(\)/)
  assert.doesNotMatch(prompt, /Rename parse\(\) to read\(\)/)
  assert.match(prompt, /Now add a test/)
})

test("a session with nothing to compact says so and calls no model", async () => {
  const project = await createProject(harness.app, "Compact empty")
  const session = await createSession(harness.app, project.id)
  const calls = model.requests.length
  const response = await compact(session.id)
  assert.equal(response.statusCode, 200, response.body)
  assert.deepEqual(response.json(), { compacted: false, tokensBefore: null, tokensAfter: null })
  assert.equal(model.requests.length, calls)
  assert.ok(
    !(await sessionEvents(harness.app, session.id)).some((event) => event.type === "session.compacted"),
  )
})

test("refused while a turn runs, and for an unknown session", async () => {
  const project = await createProject(harness.app, "Compact busy")
  const session = await createSession(harness.app, project.id)
  model.enqueue({ toolCalls: [{ name: "write_file", input: { path: "a.txt", content: "a\n" } }] })
  await sendMessage(harness.app, session.id, "Write a.txt")
  await waitForEvent(harness.app, session.id, "permission.asked")
  expectError(await compact(session.id), 409, "TURN_RUNNING")
  const cancelled = await harness.app.inject({ method: "POST", url: `/api/sessions/${session.id}/cancel` })
  assert.equal(cancelled.statusCode, 202, cancelled.body)
  await harness.services.sessions.idle(session.id)

  expectError(await compact("ses_doesnotexist0000000000"), 404, "SESSION_NOT_FOUND")
})
