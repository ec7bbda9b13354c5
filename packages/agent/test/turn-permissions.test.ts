// The turn loop and the user's answers: denials reaching the model, allow always (project and session scope, after a restart too), and the loop detector.
import assert from "node:assert/strict"
import { test } from "node:test"
import { type PermissionDecision, reduceSession } from "@xionimus/protocol"
import { createAgentFixture, dataOf, projectId, toolResults, typesOf } from "./agent-fixture.ts"

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
