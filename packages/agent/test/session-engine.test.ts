import assert from "node:assert/strict"
import { readdir, readFile } from "node:fs/promises"
import { test } from "node:test"
import { newId } from "@xionimus/kit"
import { createModelError, type ModelMessage, type ModelPort, type ToolResult } from "@xionimus/llm"
import { reduceSession } from "@xionimus/protocol"
import { interruptedMessage } from "../src/session-engine.ts"
import { createAgentFixture, dataOf, model, projectId, typesOf } from "./agent-fixture.ts"

const userTexts = (messages: ModelMessage[]) =>
  messages.flatMap((message) =>
    message.role === "user" && typeof message.content === "string" ? [message.content] : [],
  )
const toolResults = (messages: ModelMessage[]): ToolResult[] =>
  messages.flatMap((message) => (message.role === "tool" ? message.content : []))

/** Polls until `condition` holds (fails the test after 15 s). */
async function eventually(condition: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 15_000
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Command lines of the processes running on this machine (the sandbox's included). */
async function commandLines(): Promise<string[]> {
  const lines: string[] = []
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    const text = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "")
    if (text) lines.push(text.replaceAll("\u0000", " ").trim())
  }
  return lines
}

test("cancel mid-command kills the command and leaves a consistent log", async (t) => {
  const command = "echo started; exec sleep 31.7"
  await using fixture = await createAgentFixture(t, {
    sandbox: true,
    turns: [{ text: "Running it.", toolCalls: [{ name: "run", input: { command } }] }],
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "run the slow thing", authorId: null })
  await fixture.waitFor(
    session.id,
    (event) =>
      event.type === "tool.output" && String((event.data as { text: string }).text).includes("started"),
  )
  assert.ok((await commandLines()).some((line) => line === "sleep 31.7"))
  await fixture.engine.cancel(session.id)
  await eventually(
    async () => !(await commandLines()).some((line) => line === "sleep 31.7"),
    "the cancelled command to end",
  )

  const events = await fixture.events(session.id)
  const updates = dataOf<{ status: string; error?: { code: string } }>(events, "tool.updated")
  assert.deepEqual(
    updates.map((data) => [data.status, data.error?.code ?? null]),
    [
      ["running", null],
      ["error", "TOOL_ABORTED"],
    ],
  )
  assert.equal(typesOf(events).at(-1), "turn.ended")
  assert.deepEqual(dataOf<{ outcome: string }>(events, "turn.ended")[0]?.outcome, "cancelled")
  const state = reduceSession(events)
  assert.equal(state.runState, "idle")
  const answer = state.messages[1]
  assert.ok(answer?.role === "assistant")
  assert.equal(answer.parts[0]?.type === "text" && answer.parts[0].text, "Running it.")
  assert.equal(fixture.model.requests.length, 1)
  assert.equal((await fixture.sessions.get(session.id))?.runState, "idle")
  assert.equal(await fixture.leaseCount(), 0)
  await assert.rejects(
    fixture.engine.cancel(session.id),
    (error: { code?: string }) => error.code === "TURN_NOT_RUNNING",
  )
})

test("cancel while the model streams keeps the partial text and finishes the answer as cancelled", async (t) => {
  // A model that streams a little, then waits until the call is aborted.
  const port: ModelPort = {
    async *stream(request) {
      yield { type: "text-delta", text: "Partial an" }
      yield { type: "text-delta", text: "swer" }
      await new Promise((resolve) => request.signal?.addEventListener("abort", resolve, { once: true }))
      yield {
        type: "error",
        error: createModelError({ provider: "scripted", model: "model", reason: "aborted" }),
      }
    },
  }
  await using fixture = await createAgentFixture(t, { port })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "tell me", authorId: null })
  await fixture.waitFor(session.id, (event) => event.type === "assistant.text")
  await fixture.engine.cancel(session.id)
  const events = await fixture.events(session.id)
  assert.deepEqual(typesOf(events).slice(-2), ["assistant.finished", "turn.ended"])
  assert.equal(dataOf<{ reason: string }>(events, "assistant.finished")[0]?.reason, "cancelled")
  const state = reduceSession(events)
  assert.equal(state.lastTurn?.outcome, "cancelled")
  const answer = state.messages[1]
  assert.ok(answer?.role === "assistant")
  assert.deepEqual(answer.parts, [{ type: "text", text: "Partial answer" }])
  assert.equal(answer.finish?.reason, "cancelled")
})

test("cancel while waiting for permission ends the question and the turn", async (t) => {
  await using fixture = await createAgentFixture(t, {
    mode: "ask",
    turns: [{ toolCalls: [{ name: "write_file", input: { path: "a.txt", content: "a" } }] }],
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "write", authorId: null })
  const asked = await fixture.waitFor(session.id, (event) => event.type === "permission.asked")
  await fixture.engine.cancel(session.id)
  await assert.rejects(
    fixture.engine.decide(session.id, (asked.data as { id: string }).id, { kind: "allow-once" }, null),
    (error: { code?: string }) => error.code === "PERMISSION_REQUEST_NOT_FOUND",
  )
  const state = reduceSession(await fixture.events(session.id))
  assert.equal(state.openPermission, null)
  assert.equal(state.lastTurn?.outcome, "cancelled")
  await assert.rejects(fixture.files.read("a.txt"))
})

test("a second message while a turn runs is queued and answered by the next turn", async (t) => {
  await using fixture = await createAgentFixture(t, {
    mode: "ask",
    turns: [
      { toolCalls: [{ name: "write_file", input: { path: "one.txt", content: "1" } }] },
      { text: "Wrote one.txt." },
      { text: "Second answer." },
    ],
  })
  const session = await fixture.engine.create({ projectId, createdBy: "usr_1" })
  const first = await fixture.engine.send(session.id, { text: "first", authorId: "usr_1" })
  const asked = await fixture.waitFor(session.id, (event) => event.type === "permission.asked")
  const second = await fixture.engine.send(session.id, { text: "second", authorId: "usr_2" })
  assert.equal(second.queued, true)
  const waiting = reduceSession(await fixture.events(session.id))
  assert.deepEqual(waiting.queued, [second.messageId])
  await fixture.engine.decide(session.id, (asked.data as { id: string }).id, { kind: "allow-once" }, "usr_1")
  await fixture.engine.idle(session.id)

  const events = await fixture.events(session.id)
  assert.deepEqual(
    dataOf<{ messageId: string }>(events, "turn.started").map((data) => data.messageId),
    [first.messageId, second.messageId],
  )
  assert.deepEqual(
    dataOf<{ outcome: string }>(events, "turn.ended").map((data) => data.outcome),
    ["completed", "completed"],
  )
  const requests = fixture.model.requests
  assert.deepEqual(userTexts(requests[1]!.messages), ["first"], "the queued message waits for its own turn")
  assert.deepEqual(userTexts(requests[2]!.messages), ["first", "second"])
  const state = reduceSession(events)
  assert.deepEqual(state.queued, [])
  assert.deepEqual(
    state.messages.map((message) =>
      message.role === "user" ? `${message.id === second.messageId}:${message.queued}` : "a",
    ),
    ["false:false", "a", "a", "true:false", "a"],
  )
})

test("cancel drops the turns of queued messages; they stay in the log", async (t) => {
  await using fixture = await createAgentFixture(t, {
    mode: "ask",
    turns: [{ toolCalls: [{ name: "write_file", input: { path: "one.txt", content: "1" } }] }],
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "first", authorId: null })
  await fixture.waitFor(session.id, (event) => event.type === "permission.asked")
  await fixture.engine.send(session.id, { text: "second", authorId: null })
  await fixture.engine.cancel(session.id)
  await fixture.engine.idle(session.id)
  const events = await fixture.events(session.id)
  assert.equal(dataOf(events, "turn.started").length, 1)
  assert.equal(dataOf(events, "message.created").length, 2)
  const state = reduceSession(events)
  assert.deepEqual(state.queued, [])
  assert.equal(state.runState, "idle")
})

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

test("compaction prunes old tool outputs first; the log keeps them", async (t) => {
  const big = "a line of the big file, thirty.\n".repeat(300)
  await using fixture = await createAgentFixture(t, {
    files: { "big.txt": big },
    turns: [
      { toolCalls: [{ name: "read_file", input: { path: "big.txt" } }] },
      { text: "Read it." },
      { text: "Noted." },
      { text: "Third answer." },
    ],
    // The base prompt (~3,200 estimated tokens) and the file (~3,600) fit under 80 %; a paste on top does not.
    contextWindow: 9_500,
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  for (const text of ["read big.txt", "thanks", `here is a paste: ${"x y z ".repeat(750)}`]) {
    await fixture.engine.send(session.id, { text, authorId: null })
    await fixture.engine.idle(session.id)
  }
  const events = await fixture.events(session.id)
  const compacted = dataOf<{
    throughSeq: number
    summary: string
    prunedCallIds: string[]
    tokensBefore: number
    tokensAfter: number
  }>(events, "session.compacted")
  assert.equal(compacted.length, 1)
  assert.deepEqual(compacted[0]?.prunedCallIds, ["call_1_0"])
  assert.equal(compacted[0]?.summary, "")
  assert.equal(compacted[0]?.throughSeq, 0)
  assert.ok(compacted[0]!.tokensAfter < compacted[0]!.tokensBefore - 3_000)
  const last = fixture.model.requests.at(-1)!
  assert.deepEqual(toolResults(last.messages), [
    { toolCallId: "call_1_0", toolName: "read_file", output: "[output pruned to save context]" },
  ])
  assert.equal(userTexts(last.messages).length, 3)
  // The log still holds the full output.
  const state = reduceSession(events)
  const first = state.messages[1]
  assert.ok(first?.role === "assistant" && first.parts[0]?.type === "tool")
  assert.ok((first.parts[0].output ?? "").length > 9_000)
  assert.deepEqual(state.compaction?.prunedCallIds, ["call_1_0"])
})

test("compaction summarises older messages with the model when pruning is not enough", async (t) => {
  const paste = "log output that the user pasted. ".repeat(245)
  await using fixture = await createAgentFixture(t, {
    turns: [
      { text: "Looked at the first log." },
      { text: "Looked at the second log." },
      { text: "The user pasted two build logs; both show a missing dependency." },
      { text: "Answer from the summary." },
    ],
    // Base (~3,200) + two pastes (~2,700 each) stay under 80 %; the third message goes over.
    contextWindow: 12_000,
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  const third = `what did both logs say? ${"and this one too. ".repeat(333)}`
  for (const text of [`first log: ${paste}`, `second log: ${paste}`, third]) {
    await fixture.engine.send(session.id, { text, authorId: null })
    await fixture.engine.idle(session.id)
  }
  const requests = fixture.model.requests
  assert.equal(requests.length, 4)
  const summaryRequest = requests[2]!
  assert.equal(summaryRequest.tools, undefined)
  assert.match(summaryRequest.system ?? "", /You summarise a conversation/)
  assert.match(
    userTexts(summaryRequest.messages)[0] ?? "",
    /User: first log: .*Agent: Looked at the second log\./s,
  )
  const answered = requests[3]!
  assert.deepEqual(userTexts(answered.messages), [
    "Summary of the conversation so far: The user pasted two build logs; both show a missing dependency.",
    third,
  ])
  const events = await fixture.events(session.id)
  const [compacted] = dataOf<{ throughSeq: number; summary: string }>(events, "session.compacted")
  const sent = events.find(
    (event) => event.type === "message.created" && (event.data as { text: string }).text === third,
  )
  assert.equal(compacted?.throughSeq, sent!.seq - 1)
  // The session's usage counts the summary call too.
  assert.equal((await fixture.sessions.get(session.id))?.usage.inputTokens, 40)
  assert.equal(reduceSession(events).messages.length, 6)
})

test("the task tool runs a sub-agent with its own context; only its summary reaches the log", async (t) => {
  await using fixture = await createAgentFixture(t, {
    files: { "a.js": "// TODO: handle errors\nexport const a = 1\n" },
    turns: [
      { toolCalls: [{ name: "task", input: { description: "find todos", prompt: "Find TODO comments." } }] },
      { toolCalls: [{ name: "grep", input: { pattern: "TODO" } }] },
      { text: "One TODO: a.js line 1 (handle errors)." },
      { text: "The sub-agent found one TODO in a.js." },
    ],
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "any todos?", authorId: null })
  await fixture.engine.idle(session.id)
  const [parent, child, childSecond, parentSecond] = fixture.model.requests
  assert.ok(parent?.tools?.some((tool) => tool.name === "task"))
  assert.equal(
    child?.tools?.some((tool) => tool.name === "task"),
    false,
  )
  assert.match(child?.system ?? "", /You are a sub-agent/)
  assert.deepEqual(child?.messages, [{ role: "user", content: "Find TODO comments." }])
  assert.match(String(toolResults(childSecond!.messages)[0]?.output), /a\.js:1:\/\/ TODO: handle errors/)
  assert.deepEqual(toolResults(parentSecond!.messages)[0]?.output, "One TODO: a.js line 1 (handle errors).")

  const events = await fixture.events(session.id)
  assert.deepEqual(
    dataOf<{ tool: string }>(events, "tool.called").map((data) => data.tool),
    ["task"],
  )
  const [done] = dataOf<{ status: string; output: string; title: string }>(events, "tool.updated").filter(
    (data) => data.status === "completed",
  )
  assert.equal(done?.output, "One TODO: a.js line 1 (handle errors).")
  assert.equal(done?.title, "find todos")
  assert.equal((await fixture.sessions.get(session.id))?.usage.inputTokens, 40)
})

test("sessions: automatic title, idempotent client ids, update, list, remove", async (t) => {
  await using fixture = await createAgentFixture(t, { turns: [{ text: "hello" }] })
  const session = await fixture.engine.create({ projectId, createdBy: "usr_1", tags: ["bug"] })
  assert.equal(session.title, "New session")
  assert.equal(session.head, 2)
  const text = "\n  Please refactor the payment module so that every provider shares one retry policy\nmore"
  const first = await fixture.engine.send(session.id, { text, clientId: "c-1", authorId: "usr_1" })
  const again = await fixture.engine.send(session.id, { text, clientId: "c-1", authorId: "usr_1" })
  assert.deepEqual(again, first)
  await fixture.engine.idle(session.id)
  const events = await fixture.events(session.id)
  assert.equal(dataOf(events, "message.created").length, 1)
  const got = await fixture.engine.get(session.id)
  assert.equal(got.title, "Please refactor the payment module so that every provider…")
  assert.ok(got.title.length <= 60)
  assert.equal(got.head, events.at(-1)?.seq)
  const state = reduceSession(events)
  assert.deepEqual(state.tags, ["bug"])
  assert.equal(state.automaticTitle, true)

  const updated = await fixture.engine.update(session.id, { title: "Payments", pinned: true })
  assert.equal(updated.title, "Payments")
  assert.equal(reduceSession(await fixture.events(session.id)).automaticTitle, false)
  const page = await fixture.engine.list(projectId, { limit: 10, q: "retry policy" })
  assert.deepEqual(
    page.items.map((item) => [item.id, item.pinned]),
    [[session.id, true]],
  )
  await fixture.engine.remove(session.id)
  assert.deepEqual(await fixture.events(session.id), [])
  await assert.rejects(
    fixture.engine.get(session.id),
    (error: { code?: string }) => error.code === "SESSION_NOT_FOUND",
  )
  await assert.rejects(
    fixture.engine.send(session.id, { text: "x", authorId: null }),
    (error: { code?: string }) => error.code === "SESSION_NOT_FOUND",
  )
  await assert.rejects(
    fixture.engine.resume("ses_missing", null),
    (error: { code?: string }) => error.code === "SESSION_NOT_FOUND",
  )
})
