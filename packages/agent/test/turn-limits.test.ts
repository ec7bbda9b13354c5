// How a turn stops short: token and money budgets, the step limit, malformed tool calls and model failures.
import assert from "node:assert/strict"
import { test } from "node:test"
import { reduceSession } from "@xionimus/protocol"
import { createAgentFixture, dataOf, model, projectId, toolResults } from "./agent-fixture.ts"

test("a spent token budget pauses the turn with a clear event; resume after raising it continues", async (t) => {
  await using fixture = await createAgentFixture(t, {
    limits: { sessionTokens: 20 },
    turns: [
      { toolCalls: [{ name: "list", input: { path: "." } }], usage: { inputTokens: 15, outputTokens: 10 } },
      { text: "Done after resuming." },
    ],
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "work", authorId: null })
  await fixture.engine.idle(session.id)
  let events = await fixture.events(session.id)
  const paused = dataOf<{ reason: string; message: string }>(events, "turn.paused")
  assert.equal(paused.length, 1)
  assert.equal(paused[0]?.reason, "budget")
  assert.match(paused[0]!.message, /25 of its 20 tokens/)
  assert.deepEqual(
    dataOf<{ outcome: string }>(events, "turn.ended").map((data) => data.outcome),
    ["budget"],
  )
  assert.equal(fixture.model.requests.length, 1)
  assert.equal((await fixture.sessions.get(session.id))?.runState, "paused")
  assert.equal(reduceSession(events).runState, "paused")

  const raised = fixture.newEngine({ limits: { sessionTokens: 1_000 } })
  const { turnId } = await raised.resume(session.id, "usr_1")
  await raised.idle(session.id)
  events = await fixture.events(session.id)
  const started = dataOf<{ turnId: string; resumed: boolean; messageId?: string }>(events, "turn.started")
  assert.deepEqual(started.at(-1), { turnId, resumed: true, model })
  assert.equal(reduceSession(events).lastTurn?.outcome, "completed")
  // The resumed call sees the earlier tool result; no new user message was added.
  const messages = fixture.model.requests[1]!.messages
  assert.equal(messages.filter((message) => message.role === "user").length, 1)
  assert.equal(messages.at(-1)?.role, "tool")
  await assert.rejects(
    raised.resume(session.id, null),
    (error: { code?: string }) => error.code === "NOTHING_TO_RESUME",
  )
})

test("a money budget from checkBudget pauses before the first model call", async (t) => {
  await using fixture = await createAgentFixture(t, {
    checkBudget: async () => ({
      allowed: false,
      checks: [],
      message: "The project budget of $1.00 is spent.",
    }),
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "hi", authorId: null })
  await fixture.engine.idle(session.id)
  const events = await fixture.events(session.id)
  assert.deepEqual(
    dataOf(events, "turn.paused").map((data) => (data as { message: string }).message),
    ["The project budget of $1.00 is spent."],
  )
  assert.equal(fixture.model.requests.length, 0)
})

test("maxSteps ends the turn with outcome limit and says how to go on", async (t) => {
  await using fixture = await createAgentFixture(t, {
    limits: { maxSteps: 2, loopThreshold: 10 },
    turns: [
      { toolCalls: [{ name: "list", input: { path: "." } }] },
      { toolCalls: [{ name: "list", input: { path: "." } }] },
    ],
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "go", authorId: null })
  await fixture.engine.idle(session.id)
  const [ended] = dataOf<{ outcome: string; message: string }>(await fixture.events(session.id), "turn.ended")
  assert.equal(ended?.outcome, "limit")
  assert.match(ended!.message, /after 2 model calls \(agent\.maxSteps\)/)
})

test("invalid tool-call JSON goes back to the model once as the call's error", async (t) => {
  await using fixture = await createAgentFixture(t, {
    turns: [
      {
        parts: [
          {
            type: "tool-call",
            toolCallId: "call_bad",
            toolName: "read_file",
            input: "{path:",
            invalid: "Unexpected end of JSON",
          },
          {
            type: "finish",
            reason: "tool-calls",
            model,
            usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, reasoningTokens: 0 },
          },
        ],
      },
      { text: "Sorry." },
    ],
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "read", authorId: null })
  await fixture.engine.idle(session.id)
  const [result] = toolResults(fixture.model.requests[1]!.messages)
  assert.equal(result?.isError, true)
  assert.match(
    String(result?.output),
    /could not be run: Unexpected end of JSON\. Send the call again with valid JSON/,
  )
  const updated = dataOf<{ status: string; error?: { code: string } }>(
    await fixture.events(session.id),
    "tool.updated",
  )
  assert.deepEqual(updated, [
    {
      callId: "call_bad",
      status: "error",
      error: { code: "TOOL_INPUT_INVALID", message: String(result?.output) },
    },
  ])
})

test("a model failure ends the turn as failed with the model's error; retries are visible", async (t) => {
  await using fixture = await createAgentFixture(t, {
    turns: [{ error: "overloaded" }, { error: "auth" }],
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "hi", authorId: null })
  await fixture.engine.idle(session.id)
  const events = await fixture.events(session.id)
  const retried = dataOf<{ kind: string; error: { reason: string } }>(events, "model.retried")
  assert.deepEqual(
    retried.map((data) => [data.kind, data.error.reason]),
    [["retry", "overloaded"]],
  )
  const [finished] = dataOf<{ reason: string; error: { code: string } }>(events, "assistant.finished")
  assert.equal(finished?.reason, "error")
  const [ended] = dataOf<{ outcome: string; error: { code: string; message: string } }>(events, "turn.ended")
  assert.equal(ended?.outcome, "failed")
  assert.equal(ended?.error.code, "MODEL_CALL_FAILED")
  assert.match(ended!.error.message, /API key/)
  assert.equal(reduceSession(events).runState, "idle")
})
