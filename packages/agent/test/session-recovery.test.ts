// Turns across process deaths and nodes: recover() and resume, a lease taken over, a message sent through another node, an expired lease found by the next turn, close().
import assert from "node:assert/strict"
import { test } from "node:test"
import { newId } from "@xionimus/kit"
import { reduceSession } from "@xionimus/protocol"
import { interruptedMessage } from "../src/session-engine.ts"
import {
  createAgentFixture,
  dataOf,
  model,
  projectId,
  toolResults,
  typesOf,
  userTexts,
} from "./agent-fixture.ts"

test("a turn of a server that died is marked interrupted by recover(), and resume continues it", async (t) => {
  await using fixture = await createAgentFixture(t, { turns: [{ text: "Picked it up again; done." }] })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  // What a node that died mid-command left behind: events up to a running tool, and its lease.
  const turnId = newId("trn")
  const messageId = newId("msg")
  const assistantId = newId("msg")
  const leftBehind: [string, unknown][] = [
    ["message.created", { messageId, role: "user", text: "long job", queued: false, authorId: null }],
    ["turn.started", { turnId, messageId, resumed: false, model }],
    ["assistant.started", { turnId, messageId: assistantId, model }],
    ["assistant.text", { messageId: assistantId, text: "Starting the build" }],
    ["tool.called", { messageId: assistantId, callId: "call_dead", tool: "list", input: { path: "." } }],
  ]
  await fixture.bus.append(
    session.id,
    leftBehind.map(([type, data]) => ({ id: newId("evt"), type, data })),
  )
  await fixture.sessions.setRunState(session.id, "running")
  const expiresAt = new Date(Date.now() + 60_000).toISOString()
  assert.equal(
    await fixture.sessions.acquireLease({ sessionId: session.id, turnId, nodeId: "node-dead", expiresAt }),
    true,
  )

  assert.equal(await fixture.engine.recover(), 0, "an unexpired lease is left alone")
  await assert.rejects(
    fixture.engine.resume(session.id, null),
    (error: { code?: string; message: string }) =>
      error.code === "NOTHING_TO_RESUME" && /has not ended/.test(error.message),
  )
  const later = fixture.newEngine({ clock: () => new Date(Date.now() + 120_000) })
  assert.equal(await later.recover(), 1)
  assert.equal(await later.recover(), 0)

  let events = await fixture.events(session.id)
  assert.deepEqual(typesOf(events).slice(-2), ["assistant.finished", "turn.ended"])
  assert.deepEqual(dataOf(events, "turn.ended"), [
    { turnId, outcome: "interrupted", message: interruptedMessage },
  ])
  assert.deepEqual(dataOf(events, "assistant.finished"), [
    { messageId: assistantId, reason: "interrupted", model },
  ])
  assert.equal((await fixture.sessions.get(session.id))?.runState, "interrupted")
  let state = reduceSession(events)
  assert.equal(state.runState, "interrupted")
  const answer = state.messages[1]
  assert.ok(answer?.role === "assistant")
  assert.deepEqual(answer.parts[0], { type: "text", text: "Starting the build" })
  assert.equal(answer.parts[1]?.type === "tool" && answer.parts[1].status, "error")

  const { turnId: resumed } = await fixture.engine.resume(session.id, "usr_1")
  await fixture.engine.idle(session.id)
  const request = fixture.model.requests[0]!
  assert.deepEqual(toolResults(request.messages), [
    {
      toolCallId: "call_dead",
      toolName: "list",
      output: "The call was interrupted before it finished.",
      isError: true,
    },
  ])
  events = await fixture.events(session.id)
  state = reduceSession(events)
  assert.equal(state.lastTurn?.turnId, resumed)
  assert.equal(state.lastTurn?.resumed, true)
  assert.equal(state.lastTurn?.outcome, "completed")
  assert.equal(state.runState, "idle")
})

test("a turn whose lease another node took over stops as interrupted", async (t) => {
  await using fixture = await createAgentFixture(t, {
    mode: "ask",
    leaseMs: 300,
    turns: [{ toolCalls: [{ name: "write_file", input: { path: "a.txt", content: "a" } }] }],
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "write", authorId: null })
  const started = await fixture.waitFor(session.id, (event) => event.type === "turn.started")
  await fixture.waitFor(session.id, (event) => event.type === "permission.asked")
  const { turnId } = started.data as { turnId: string }
  await fixture.sessions.releaseLease(session.id, turnId)
  const expiresAt = new Date(Date.now() + 60_000).toISOString()
  assert.equal(
    await fixture.sessions.acquireLease({
      sessionId: session.id,
      turnId: "trn_other",
      nodeId: "node-other",
      expiresAt,
    }),
    true,
  )
  const ended = await fixture.waitFor(session.id, (event) => event.type === "turn.ended")
  const { usage: _usage, ...outcome } = ended.data as { usage?: unknown }
  assert.deepEqual(outcome, { turnId, outcome: "interrupted", message: interruptedMessage })
  await fixture.engine.idle(session.id)
  // The other node's lease is left alone.
  assert.equal(await fixture.leaseCount(), 1)
})

test("a message sent through another node waits for the turn that node runs", async (t) => {
  await using fixture = await createAgentFixture(t, {
    mode: "ask",
    turns: [
      { toolCalls: [{ name: "write_file", input: { path: "a.txt", content: "a" } }] },
      { text: "Wrote a.txt." },
      { text: "Answered on the other node." },
    ],
  })
  const other = fixture.newEngine({ nodeId: "node-b" })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "first", authorId: null })
  const asked = await fixture.waitFor(session.id, (event) => event.type === "permission.asked")
  const second = await other.send(session.id, { text: "second", authorId: null })
  assert.equal(second.queued, true)
  await fixture.engine.decide(session.id, (asked.data as { id: string }).id, { kind: "allow-once" }, null)
  await fixture.engine.idle(session.id)
  await other.idle(session.id)
  const events = await fixture.events(session.id)
  assert.deepEqual(
    dataOf<{ outcome: string }>(events, "turn.ended").map((data) => data.outcome),
    ["completed", "completed"],
  )
  assert.deepEqual(userTexts(fixture.model.requests[2]!.messages), ["first", "second"])
  const state = reduceSession(events)
  assert.deepEqual(state.queued, [])
  assert.deepEqual(
    state.messages.map((message) => (message.role === "user" ? message.text : message.role)),
    ["first", "assistant", "assistant", "second", "assistant"],
  )
})

test("a new turn first ends a turn whose node died and whose lease expired unnoticed", async (t) => {
  await using fixture = await createAgentFixture(t, { turns: [{ text: "Fresh answer." }] })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  const turnId = newId("trn")
  const messageId = newId("msg")
  await fixture.bus.append(session.id, [
    {
      id: newId("evt"),
      type: "message.created",
      data: { messageId, role: "user", text: "old", queued: false, authorId: null },
    },
    { id: newId("evt"), type: "turn.started", data: { turnId, messageId, resumed: false, model } },
  ])
  await fixture.sessions.setRunState(session.id, "running")
  const expired = new Date(Date.now() - 1_000).toISOString()
  await fixture.sessions.acquireLease({
    sessionId: session.id,
    turnId,
    nodeId: "node-dead",
    expiresAt: expired,
  })
  const sent = await fixture.engine.send(session.id, { text: "new", authorId: null })
  await fixture.engine.idle(session.id)
  const events = await fixture.events(session.id)
  assert.deepEqual(
    dataOf<{ turnId: string; outcome: string }>(events, "turn.ended").map((data) => [
      data.turnId,
      data.outcome,
    ]),
    [
      [turnId, "interrupted"],
      [dataOf<{ turnId: string }>(events, "turn.started")[1]?.turnId, "completed"],
    ],
  )
  assert.equal(sent.queued, true)
  const state = reduceSession(events)
  assert.equal(state.lastTurn?.outcome, "completed")
  assert.deepEqual(state.queued, [])
  assert.equal(await fixture.leaseCount(), 0)
})

test("close() ends running turns as interrupted and releases their leases", async (t) => {
  await using fixture = await createAgentFixture(t, {
    mode: "ask",
    turns: [{ toolCalls: [{ name: "write_file", input: { path: "a.txt", content: "a" } }] }],
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "write", authorId: null })
  await fixture.waitFor(session.id, (event) => event.type === "permission.asked")
  await fixture.engine.close()
  const events = await fixture.events(session.id)
  assert.deepEqual(
    dataOf<{ outcome: string; message: string }>(events, "turn.ended").map((data) => [
      data.outcome,
      data.message,
    ]),
    [["interrupted", interruptedMessage]],
  )
  assert.equal((await fixture.sessions.get(session.id))?.runState, "interrupted")
  assert.equal(await fixture.leaseCount(), 0)
  await assert.rejects(
    fixture.engine.send(session.id, { text: "again", authorId: null }),
    (error: { code?: string }) => error.code === "SHUTTING_DOWN",
  )
})
