import assert from "node:assert/strict"
import { readdir, readFile } from "node:fs/promises"
import { test } from "node:test"
import { createModelError, type ModelPort } from "@xionimus/llm"
import { reduceSession } from "@xionimus/protocol"
import { createAgentFixture, dataOf, projectId, typesOf, userTexts } from "./agent-fixture.ts"

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
