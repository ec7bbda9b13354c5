import assert from "node:assert/strict"
import { test } from "node:test"
import type { ModelMessage, ToolResult } from "@xionimus/llm"
import { type PermissionDecision, reduceSession } from "@xionimus/protocol"
import { createAgentFixture, dataOf, model, projectId, typesOf } from "./agent-fixture.ts"

/** Tool results the model received in one request. */
function toolResults(messages: ModelMessage[]): ToolResult[] {
  return messages.flatMap((message) => (message.role === "tool" ? message.content : []))
}

const failingRepository = {
  "package.json": '{ "type": "module" }\n',
  "math.js": "export function add(a, b) {\n  return a - b\n}\n",
  "test.js": [
    'import { add } from "./math.js"',
    "const got = add(2, 3)",
    'if (got !== 5) { console.error("FAIL: add(2, 3) is " + got); process.exit(1) }',
    'console.log("ok add")',
    "",
  ].join("\n"),
}

test("the agent reads, edits and runs the tests in the sandbox until they pass", async (t) => {
  await using fixture = await createAgentFixture(t, {
    sandbox: true,
    files: failingRepository,
    turns: [
      { toolCalls: [{ name: "run", input: { command: "node test.js" } }] },
      { toolCalls: [{ name: "read_file", input: { path: "math.js" } }] },
      {
        text: "add subtracts; fixing it.",
        toolCalls: [
          { name: "edit", input: { path: "math.js", edits: [{ oldText: "a - b", newText: "a + b" }] } },
        ],
      },
      { toolCalls: [{ name: "run", input: { command: "node test.js" } }] },
      { text: "Fixed: add subtracted instead of adding. The tests pass now." },
    ],
  })
  const session = await fixture.engine.create({ projectId, createdBy: "usr_1" })
  const sent = await fixture.engine.send(session.id, { text: "The tests fail. Fix them.", authorId: "usr_1" })
  assert.equal(sent.queued, false)
  await fixture.engine.idle(session.id)

  const requests = fixture.model.requests
  assert.equal(requests.length, 5)
  assert.equal(requests[0]?.model, model)
  assert.ok(requests[0]?.tools?.some((tool) => tool.name === "run"))
  const [failed] = toolResults(requests[1]!.messages)
  assert.match(String(failed?.output), /FAIL: add\(2, 3\) is -1/)
  assert.match(String(failed?.output), /\[exit code 1\]/)
  assert.match(String(toolResults(requests[2]!.messages)[1]?.output), /2\t {2}return a - b/)
  const passed = toolResults(requests[4]!.messages).at(-1)
  assert.match(String(passed?.output), /ok add/)
  assert.match(String(passed?.output), /\[exit code 0\]/)

  const { content } = await fixture.files.read("math.js")
  assert.equal(
    content.toString(),
    "export function add(a, b) {\n  return a - b\n}\n".replace("a - b", "a + b"),
  )

  const events = await fixture.events(session.id)
  const ended = dataOf<{ outcome: string; usage?: { inputTokens: number } }>(events, "turn.ended")
  assert.equal(ended.length, 1)
  assert.equal(ended[0]?.outcome, "completed")
  assert.equal(ended[0]?.usage?.inputTokens, 50)
  const checkpoints = dataOf<{ callId?: string; changed: boolean; messageId: string }>(
    events,
    "checkpoint.recorded",
  )
  // The turn's own checkpoint (rewind target), then the edit; runs and reads changed nothing.
  assert.deepEqual(
    checkpoints.map((checkpoint) => [checkpoint.callId ?? null, checkpoint.changed, checkpoint.messageId]),
    [
      [null, true, sent.messageId],
      ["call_3_0", true, sent.messageId],
    ],
  )
  assert.deepEqual(fixture.changed, [["math.js"]])

  const state = reduceSession(events)
  assert.equal(state.runState, "idle")
  assert.equal(state.title, "The tests fail. Fix them.")
  assert.equal(state.messages.length, 6)
  const last = state.messages.at(-1)
  assert.ok(last?.role === "assistant")
  assert.deepEqual(last.parts, [
    { type: "text", text: "Fixed: add subtracted instead of adding. The tests pass now." },
  ])
  const tools = state.messages.flatMap((message) =>
    message.role === "assistant" ? message.parts.filter((part) => part.type === "tool") : [],
  )
  assert.deepEqual(
    tools.map((part) => part.type === "tool" && [part.tool, part.status]),
    [
      ["run", "completed"],
      ["read_file", "completed"],
      ["edit", "completed"],
      ["run", "completed"],
    ],
  )
  const firstRun = tools[0]
  assert.ok(firstRun?.type === "tool" && firstRun.liveOutput.includes("FAIL"))
  const row = await fixture.sessions.get(session.id)
  assert.equal(row?.runState, "idle")
  assert.equal(row?.usage.inputTokens, 50)
})

test("streamed text is coalesced, and the log reads in the order things happened", async (t) => {
  await using fixture = await createAgentFixture(t, {
    files: { "notes.txt": "hello\n" },
    turns: [
      {
        parts: [
          { type: "reasoning-delta", text: "I should " },
          { type: "reasoning-delta", text: "read it." },
          { type: "text-delta", text: "Let " },
          { type: "text-delta", text: "me " },
          { type: "text-delta", text: "look." },
          { type: "tool-call", toolCallId: "call_a", toolName: "read_file", input: { path: "notes.txt" } },
          { type: "tool-call", toolCallId: "call_b", toolName: "list", input: { path: "." } },
          {
            type: "finish",
            reason: "tool-calls",
            model,
            usage: { inputTokens: 7, outputTokens: 3, cachedInputTokens: 0, reasoningTokens: 1 },
          },
        ],
      },
      { text: "It says hello." },
    ],
  })
  const session = await fixture.engine.create({ projectId, title: "Read notes", createdBy: null })
  await fixture.engine.send(session.id, { text: "What is in notes.txt?", authorId: null })
  await fixture.engine.idle(session.id)
  const events = await fixture.events(session.id)
  assert.deepEqual(
    events.map((event) => event.seq),
    events.map((_, index) => index + 1),
  )
  const types = typesOf(events)
  assert.deepEqual(types.slice(0, 5), [
    "session.created",
    "message.created",
    "turn.started",
    "checkpoint.recorded",
    "assistant.started",
  ])
  assert.deepEqual(dataOf(events, "assistant.reasoning"), [
    {
      messageId: dataOf<{ messageId: string }>(events, "assistant.started")[0]?.messageId,
      text: "I should read it.",
    },
  ])
  const texts = dataOf<{ text: string }>(events, "assistant.text").map((data) => data.text)
  assert.deepEqual(texts, ["Let me look.", "It says hello."])
  // Text before the tool calls, the calls, the finish; then both reads (run together) end.
  const firstTurn = types.slice(5, types.indexOf("assistant.started", 5))
  assert.deepEqual(firstTurn.slice(0, 5), [
    "assistant.reasoning",
    "assistant.text",
    "tool.called",
    "tool.called",
    "assistant.finished",
  ])
  assert.equal(firstTurn.filter((type) => type === "tool.updated").length, 4)
  assert.equal(types.at(-1), "turn.ended")
  assert.equal(types.includes("session.updated"), false, "a typed title is not replaced")
  const state = reduceSession(events)
  const answer = state.messages[1]
  assert.ok(answer?.role === "assistant")
  assert.deepEqual(
    answer.parts.map((part) => part.type),
    ["reasoning", "text", "tool", "tool"],
  )
  assert.equal(answer.finish?.usage?.inputTokens, 7)
  // The second request carries both results and the text before them.
  const second = fixture.model.requests[1]!
  assert.deepEqual(
    toolResults(second.messages).map((result) => result.toolCallId),
    ["call_a", "call_b"],
  )
  assert.match(String(toolResults(second.messages)[0]?.output), /1\thello/)
})

test("a denied permission reaches the model as the call's error, and the agent adapts", async (t) => {
  await using fixture = await createAgentFixture(t, {
    mode: "ask",
    files: { "config.json": '{ "debug": false }\n' },
    turns: [
      { toolCalls: [{ name: "write_file", input: { path: "config.json", content: '{ "debug": true }\n' } }] },
      { text: "Understood, I will not touch config.json. Set debug in your environment instead." },
    ],
  })
  const session = await fixture.engine.create({ projectId, createdBy: "usr_1" })
  await fixture.engine.send(session.id, { text: "Turn on debugging", authorId: "usr_1" })
  const asked = await fixture.waitFor(session.id, (event) => event.type === "permission.asked")
  const request = asked.data as { id: string; tool: string; kind: string; reason: string; callId: string }
  assert.equal(request.tool, "write_file")
  assert.equal(request.kind, "edit")
  assert.equal(request.reason, "tool")
  assert.equal((await fixture.sessions.get(session.id))?.runState, "paused")
  assert.equal(fixture.model.requests.length, 1, "no model call while the turn waits")

  await assert.rejects(
    fixture.engine.decide(session.id, "per_unknown", { kind: "allow-once" }, "usr_1"),
    (error: { code?: string }) => error.code === "PERMISSION_REQUEST_NOT_FOUND",
  )
  await fixture.engine.decide(
    session.id,
    request.id,
    { kind: "deny", message: "never edit config files" },
    "usr_2",
  )
  await fixture.engine.idle(session.id)

  const denial = toolResults(fixture.model.requests[1]!.messages)[0]
  assert.equal(denial?.isError, true)
  assert.match(String(denial?.output), /never edit config files/)
  assert.equal((await fixture.files.read("config.json")).content.toString(), '{ "debug": false }\n')
  const events = await fixture.events(session.id)
  assert.deepEqual(dataOf(events, "permission.decided"), [
    {
      requestId: request.id,
      decision: { kind: "deny", message: "never edit config files" },
      decidedBy: "usr_2",
    },
  ])
  const types = typesOf(events)
  assert.ok(types.indexOf("permission.asked") < types.indexOf("permission.decided"))
  const state = reduceSession(events)
  assert.equal(state.openPermission, null)
  assert.equal(state.lastTurn?.outcome, "completed")
  const part = state.messages[1]?.role === "assistant" ? state.messages[1].parts[0] : undefined
  assert.ok(part?.type === "tool")
  assert.equal(part.status, "error")
  assert.equal(part.error?.code, "TOOL_DENIED")
  // Nothing changed: only the turn's own checkpoint was recorded.
  assert.equal(dataOf(events, "checkpoint.recorded").length, 1)
})

test("allow always with project scope saves the rule and stops asking", async (t) => {
  const saved: unknown[] = []
  await using fixture = await createAgentFixture(t, {
    mode: "ask",
    turns: [
      { toolCalls: [{ name: "write_file", input: { path: "a.txt", content: "a" } }] },
      { toolCalls: [{ name: "write_file", input: { path: "a.txt", content: "b" } }] },
      { text: "done" },
    ],
  })
  const engine = fixture.newEngine({
    saveRules: async (project, userId, scope, rules) => {
      saved.push({ project, userId, scope, rules })
    },
  })
  const session = await engine.create({ projectId, createdBy: "usr_1" })
  await engine.send(session.id, { text: "write a", authorId: "usr_1" })
  const asked = await fixture.waitFor(session.id, (event) => event.type === "permission.asked")
  await engine.decide(
    session.id,
    (asked.data as { id: string }).id,
    { kind: "allow-always", scope: "project" },
    "usr_1",
  )
  await engine.idle(session.id)
  assert.deepEqual(saved, [
    {
      project: projectId,
      userId: "usr_1",
      scope: "project",
      rules: [{ tool: "write_file", pattern: "a.txt", action: "allow" }],
    },
  ])
  const events = await fixture.events(session.id)
  assert.equal(dataOf(events, "permission.asked").length, 1)
  assert.equal((await fixture.files.read("a.txt")).content.toString(), "b")
})

test("the same call three times in a row pauses and asks; deny reaches the model", async (t) => {
  const same = { toolCalls: [{ name: "glob", input: { pattern: "*.md", path: "." } }] }
  const reordered = { toolCalls: [{ name: "glob", input: { path: ".", pattern: "*.md" } }] }
  await using fixture = await createAgentFixture(t, {
    turns: [same, reordered, same, { text: "I was going in circles; stopping." }],
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "find the docs", authorId: null })
  const asked = await fixture.waitFor(session.id, (event) => event.type === "permission.asked")
  const request = asked.data as { id: string; reason: string; title: string; tool: string }
  assert.equal(request.reason, "loop")
  assert.equal(request.tool, "glob")
  assert.equal(request.title, "The agent called glob with the same arguments 3 times in a row")
  assert.equal(fixture.model.requests.length, 3)
  await fixture.engine.decide(session.id, request.id, { kind: "deny", message: "stop searching" }, null)
  await fixture.engine.idle(session.id)
  const last = toolResults(fixture.model.requests[3]!.messages).at(-1)
  assert.equal(last?.isError, true)
  assert.match(String(last?.output), /stop searching/)
  const state = reduceSession(await fixture.events(session.id))
  assert.equal(state.lastTurn?.outcome, "completed")
})

test("an allowed loop goes on and asks again only after three more", async (t) => {
  const same = { toolCalls: [{ name: "list", input: { path: "." } }] }
  await using fixture = await createAgentFixture(t, { turns: [same, same, same, same, { text: "done" }] })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "list", authorId: null })
  const asked = await fixture.waitFor(session.id, (event) => event.type === "permission.asked")
  await fixture.engine.decide(session.id, (asked.data as { id: string }).id, { kind: "allow-once" }, null)
  await fixture.engine.idle(session.id)
  const events = await fixture.events(session.id)
  assert.equal(dataOf(events, "permission.asked").length, 1)
  assert.equal(
    dataOf<{ status: string }>(events, "tool.updated").filter((data) => data.status === "completed").length,
    4,
  )
})

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

test("project instructions from AGENTS.md and CONTEXT.md join the system prompt", async (t) => {
  await using fixture = await createAgentFixture(t, {
    files: { "AGENTS.md": "Always use tabs.\n", "CONTEXT.md": "The shop sells tea.\n" },
    turns: [{ text: "ok" }],
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "hi", authorId: null })
  await fixture.engine.idle(session.id)
  const system = fixture.model.requests[0]!.system ?? ""
  assert.match(system, /You are Xionimus/)
  assert.match(system, /# Project instructions from AGENTS\.md\n\nAlways use tabs\./)
  assert.match(system, /# Project instructions from CONTEXT\.md\n\nThe shop sells tea\./)
  assert.ok(system.indexOf("AGENTS.md\n") < system.indexOf("CONTEXT.md\n"))
})

test("the plan from the todo tool is logged and carried into the next turn", async (t) => {
  const plan = [
    { content: "read the code", status: "completed" },
    { content: "fix the bug", status: "in_progress" },
  ]
  await using fixture = await createAgentFixture(t, {
    turns: [
      { toolCalls: [{ name: "todo", input: { todos: plan } }] },
      { text: "Planned." },
      { toolCalls: [{ name: "todo", input: {} }] },
      { text: "Still on it." },
    ],
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  for (const text of ["plan it", "where are we?"]) {
    await fixture.engine.send(session.id, { text, authorId: null })
    await fixture.engine.idle(session.id)
  }
  const events = await fixture.events(session.id)
  assert.deepEqual(dataOf(events, "todo.updated"), [{ todos: plan }])
  assert.deepEqual(reduceSession(events).todos, plan)
  const read = toolResults(fixture.model.requests[3]!.messages).at(-1)
  assert.match(String(read?.output), /\[x\] read the code\n\[~\] fix the bug/)
  // The plan changes no files: only the turns' own checkpoints.
  assert.equal(dataOf(events, "checkpoint.recorded").length, 2)
})

test("allow always for the session stops asking in later turns of that session only", async (t) => {
  const write = (content: string) => ({
    toolCalls: [{ name: "write_file", input: { path: "notes.md", content } }],
  })
  await using fixture = await createAgentFixture(t, {
    mode: "ask",
    turns: [write("1"), { text: "one" }, write("2"), { text: "two" }, write("3"), { text: "three" }],
  })
  const first = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(first.id, { text: "write 1", authorId: null })
  const asked = await fixture.waitFor(first.id, (event) => event.type === "permission.asked")
  await fixture.engine.decide(
    first.id,
    (asked.data as { id: string }).id,
    { kind: "allow-always" } as PermissionDecision,
    null,
  )
  await fixture.engine.idle(first.id)
  await fixture.engine.send(first.id, { text: "write 2", authorId: null })
  await fixture.engine.idle(first.id)
  assert.equal(dataOf(await fixture.events(first.id), "permission.asked").length, 1)
  assert.equal((await fixture.files.read("notes.md")).content.toString(), "2")

  const second = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(second.id, { text: "write 3", authorId: null })
  const again = await fixture.waitFor(second.id, (event) => event.type === "permission.asked")
  await fixture.engine.decide(second.id, (again.data as { id: string }).id, { kind: "allow-once" }, null)
  await fixture.engine.idle(second.id)
  assert.equal((await fixture.files.read("notes.md")).content.toString(), "3")
})

test("allow always for the session still holds after a restart: the rules come back from the log", {
  timeout: 30_000,
}, async (t) => {
  const write = (content: string) => ({
    toolCalls: [{ name: "write_file", input: { path: "notes.md", content } }],
  })
  await using fixture = await createAgentFixture(t, {
    mode: "ask",
    turns: [write("1"), { text: "one" }, write("2"), { text: "two" }],
  })
  const session = await fixture.engine.create({ projectId, createdBy: null })
  await fixture.engine.send(session.id, { text: "write 1", authorId: null })
  const asked = await fixture.waitFor(session.id, (event) => event.type === "permission.asked")
  await fixture.engine.decide(
    session.id,
    (asked.data as { id: string }).id,
    { kind: "allow-always", scope: "session" },
    null,
  )
  await fixture.engine.idle(session.id)

  // Another engine on the same store (the server restarted) knows nothing in memory.
  const restarted = fixture.newEngine()
  await restarted.send(session.id, { text: "write 2", authorId: null })
  await restarted.idle(session.id)
  assert.equal(dataOf(await fixture.events(session.id), "permission.asked").length, 1)
  assert.equal((await fixture.files.read("notes.md")).content.toString(), "2")
  await restarted.close()
})
