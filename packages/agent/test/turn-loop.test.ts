import assert from "node:assert/strict"
import { test } from "node:test"
import { reduceSession } from "@xionimus/protocol"
import { createAgentFixture, dataOf, model, projectId, toolResults, typesOf } from "./agent-fixture.ts"

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
