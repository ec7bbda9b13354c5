import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { reduceSession, type StoredEvent } from "@xionimus/protocol"
import { type MockProviderServer, type MockReply, startMockProvider } from "@xionimus/testing"
import {
  ApiError,
  type Client,
  createClient,
  createSessionsClient,
  createStreamClient,
  type SessionsClient,
  type StreamClient,
  streamUrl,
} from "../src/index.ts"
import { startTestServer, type TestServer, webSocketWith } from "./support/test-server.ts"

const text = (...chunks: string[]): MockReply => ({
  type: "stream",
  blocks: [{ type: "text", chunks }],
  usage: { input: 100, output: 20 },
})
const toolCall = (id: string, name: string, input: unknown): MockReply => ({
  type: "stream",
  blocks: [{ type: "tool-call", id, name, argumentChunks: [JSON.stringify(input)] }],
  usage: { input: 120, output: 30 },
})

describe("SDK sessions client (real server, mock model provider)", () => {
  let server: TestServer
  let mock: MockProviderServer
  let client: Client
  let sessions: SessionsClient
  let streams: StreamClient
  let projectId: string

  before(async () => {
    mock = await startMockProvider()
    server = await startTestServer({
      providers: { mock: { type: "openai-compatible", baseURL: mock.baseURLs.compatible, models: ["m1"] } },
      models: {
        default: "mock/m1",
        catalog: { "mock/m1": { capabilities: { tools: true }, prices: { input: 1, output: 2 } } },
      },
    })
    client = createClient({ baseUrl: server.url, headers: server.headers })
    sessions = createSessionsClient({ baseUrl: server.url, headers: server.headers })
    streams = createStreamClient({
      url: streamUrl(server.url),
      WebSocket: webSocketWith(server.headers),
      heartbeatMs: 0,
    })
    projectId = (await client.createProject({ name: "Sessions" })).id
    await sessions.setProjectPermissions(projectId, { mode: "ask", rules: [] })
  })
  after(async () => {
    streams?.close()
    await server?.close()
    await mock?.close()
  })

  /** The session's log as it grows (over the event stream, not by polling), once `done` holds. */
  function waitForLog(
    sessionId: string,
    done: (events: StoredEvent[]) => boolean,
    what: string,
  ): Promise<StoredEvent[]> {
    const events: StoredEvent[] = []
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop()
        reject(new Error(`timed out waiting for ${what}: ${events.map((event) => event.type).join(", ")}`))
      }, 15_000)
      const stop = streams.subscribe(sessionId, {
        after: 0,
        onEvent(event) {
          events.push(event)
          if (!done(events)) return
          clearTimeout(timer)
          stop()
          resolve(events)
        },
        onError(error) {
          clearTimeout(timer)
          reject(new Error(`${what}: ${error.code} ${error.message}`))
        },
      })
    })
  }
  const ended = (count: number) => (events: StoredEvent[]) =>
    events.filter((event) => event.type === "turn.ended").length >= count

  test("create, get, update (title, pin, archive), list with search and pages, delete", async () => {
    const first = await sessions.create(projectId, { title: "Alpha plan" })
    assert.match(first.id, /^ses_/)
    assert.equal(first.title, "Alpha plan")
    assert.equal(first.runState, "idle")
    const second = await sessions.create(projectId, { title: "Beta plan", tags: ["ops"] })
    await sessions.create(projectId, { title: "Gamma" })

    assert.equal((await sessions.get(first.id)).title, "Alpha plan")
    const pinned = await sessions.update(first.id, { pinned: true, title: "Alpha plan 2" })
    assert.equal(pinned.pinned, true)
    assert.equal(pinned.title, "Alpha plan 2")

    const found = await sessions.list(projectId, { q: "PLAN" })
    assert.deepEqual(found.items.map((item) => item.title).sort(), ["Alpha plan 2", "Beta plan"])
    assert.deepEqual(
      (await sessions.list(projectId, { tag: "ops" })).items.map((item) => item.id),
      [second.id],
    )

    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await sessions.list(projectId, { limit: 1, cursor })
      assert.ok(page.items.length <= 1)
      seen.push(...page.items.map((item) => item.id))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    assert.equal(new Set(seen).size, 3)

    await sessions.update(second.id, { archived: true })
    assert.ok(!(await sessions.list(projectId)).items.some((item) => item.id === second.id))
    assert.deepEqual(
      (await sessions.list(projectId, { archived: true })).items.map((item) => item.id),
      [second.id],
    )

    await sessions.remove(second.id)
    const missing = await sessions.get(second.id).catch((error: unknown) => error)
    assert.ok(missing instanceof ApiError)
    assert.equal(missing.code, "SESSION_NOT_FOUND")
    assert.equal(missing.status, 404)
  })

  test("send: the turn streams text into the log; the page carries the session and head", async () => {
    const created = await sessions.create(projectId)
    mock.enqueue(text("Hello", " there"))
    const accepted = await sessions.send(created.id, { text: "Say hello", clientId: "c-1" })
    assert.equal(accepted.queued, false)
    assert.equal(typeof accepted.messageId, "string")
    const events = await waitForLog(created.id, ended(1), "the first turn")
    const state = reduceSession(events)
    assert.equal(state.runState, "idle")
    const [user, assistant] = state.messages
    assert.equal(user?.role, "user")
    assert.equal(user?.role === "user" ? user.text : "", "Say hello")
    assert.equal(assistant?.role, "assistant")
    assert.deepEqual(assistant?.role === "assistant" ? assistant.parts : [], [
      { type: "text", text: "Hello there" },
    ])
    assert.ok(state.usage.inputTokens >= 100)

    const page = await sessions.events(created.id, { after: 2, limit: 3 })
    assert.equal(page.items[0]?.seq, 3)
    assert.ok(page.items.length <= 3)
    assert.equal(page.head, events.at(-1)?.seq)
    assert.equal(page.session.id, created.id)
  })

  test("a tool call that asks: allow once lets it run; deny sends the message back to the model", async () => {
    const created = await sessions.create(projectId)
    mock.enqueue(toolCall("call_w1", "write_file", { path: "notes.txt", content: "one\n" }), text("Written."))
    await sessions.send(created.id, { text: "Write notes.txt" })
    const asked = await waitForLog(
      created.id,
      (events) => events.some((event) => event.type === "permission.asked"),
      "the permission question",
    )
    const question = reduceSession(asked).openPermission
    assert.ok(question)
    assert.equal(question.tool, "write_file")
    await sessions.decide(created.id, question.id, { kind: "allow-once" })
    const events = await waitForLog(created.id, ended(1), "the turn after allowing")
    const state = reduceSession(events)
    const tool = state.messages
      .flatMap((message) => (message.role === "assistant" ? message.parts : []))
      .find((part) => part.type === "tool")
    assert.equal(tool?.type === "tool" ? tool.status : undefined, "completed")
    assert.equal((await client.readFile(projectId, "notes.txt")).content, "one\n")

    const refused = await sessions
      .decide(created.id, question.id, { kind: "allow-once" })
      .catch((error: unknown) => error)
    assert.ok(refused instanceof ApiError, "a question already answered cannot be answered again")

    mock.enqueue(
      toolCall("call_w3", "write_file", { path: "denied.txt", content: "no\n" }),
      text("Understood."),
    )
    await sessions.send(created.id, { text: "Write denied.txt" })
    const second = await waitForLog(
      created.id,
      (log) => log.filter((event) => event.type === "permission.asked").length >= 2,
      "the second question",
    )
    await sessions.decide(created.id, reduceSession(second).openPermission!.id, {
      kind: "deny",
      message: "Not in this folder",
    })
    const denied = reduceSession(await waitForLog(created.id, ended(2), "the denied turn"))
    const deniedPart = denied.messages
      .flatMap((message) => (message.role === "assistant" ? message.parts : []))
      .find((part) => part.type === "tool" && part.callId === "call_w3")
    assert.equal(deniedPart?.type === "tool" ? deniedPart.status : undefined, "error")
    assert.match(JSON.stringify(mock.requests.at(-1)?.body), /Not in this folder/)
    const missing = await client.readFile(projectId, "denied.txt").catch((error: unknown) => error)
    assert.ok(missing instanceof ApiError && missing.code === "FILE_NOT_FOUND")
  })

  test("rewind: preview shows the diff, apply hides the chat and restores the file, undo brings both back", async () => {
    const created = await sessions.create(projectId)
    mock.enqueue(text("Nothing to do."))
    const first = await sessions.send(created.id, { text: "Look around" })
    await waitForLog(created.id, ended(1), "turn 1")
    mock.enqueue(toolCall("call_w2", "write_file", { path: "rewind.txt", content: "new\n" }), text("Done."))
    await sessions.send(created.id, { text: "Write rewind.txt" })
    const asked = await waitForLog(
      created.id,
      (events) => events.some((event) => event.type === "permission.asked"),
      "the question of turn 2",
    )
    await sessions.decide(created.id, reduceSession(asked).openPermission!.id, { kind: "allow-once" })
    const before = await waitForLog(created.id, ended(2), "turn 2")
    const second = reduceSession(before).messages.filter((message) => message.role === "user")[1]!

    const preview = await sessions.rewindPreview(created.id, { messageId: second.id, mode: "code-and-chat" })
    assert.equal(preview.mode, "code-and-chat")
    assert.deepEqual(preview.files, [{ path: "rewind.txt", change: "deleted" }])
    assert.match(preview.diff, /rewind\.txt/)
    assert.ok(preview.hiddenEvents > 0)

    const reverted = await sessions.rewind(created.id, { messageId: second.id })
    assert.equal(reverted.type, "session.reverted")
    const afterRewind = reduceSession((await sessions.events(created.id, { limit: 1000 })).items)
    assert.deepEqual(
      afterRewind.messages.filter((message) => message.role === "user").map((message) => message.id),
      [first.messageId],
    )
    const gone = await client.readFile(projectId, "rewind.txt").catch((error: unknown) => error)
    assert.ok(gone instanceof ApiError && gone.code === "FILE_NOT_FOUND")

    await sessions.undoRewind(created.id, reverted.id)
    const undone = reduceSession((await sessions.events(created.id, { limit: 1000 })).items)
    assert.equal(undone.messages.filter((message) => message.role === "user").length, 2)
    assert.equal((await client.readFile(projectId, "rewind.txt")).content, "new\n")
  })

  test("cancel stops a running turn; resume on an idle session is refused", async () => {
    const created = await sessions.create(projectId)
    mock.enqueue({ type: "hang" })
    await sessions.send(created.id, { text: "Think forever" })
    await waitForLog(
      created.id,
      (events) => events.some((event) => event.type === "assistant.started"),
      "the turn to start",
    )
    // The model request hangs (the mock took the reply): cancelling now must end it.
    await until(() => mock.open() > 0, "the model request to hang")
    const queued = await sessions.send(created.id, { text: "And then this" })
    assert.equal(queued.queued, true)
    await sessions.cancel(created.id)
    const events = await waitForLog(created.id, ended(1), "the cancelled turn")
    const state = reduceSession(events)
    assert.equal(state.lastTurn?.outcome, "cancelled")
    const resumed = await sessions.resume(created.id).catch((error: unknown) => error)
    assert.ok(resumed instanceof ApiError, "nothing to resume")
  })

  test("fork, export (JSON and Markdown) and import", async () => {
    const created = await sessions.create(projectId, { title: "To export" })
    mock.enqueue(text("Exported answer"))
    await sessions.send(created.id, { text: "Answer for the export" })
    await waitForLog(created.id, ended(1), "the turn")

    const fork = await sessions.fork(created.id, { title: "The fork" })
    assert.equal(fork.title, "The fork")
    assert.equal(fork.forkedFrom?.sessionId, created.id)

    const document = await sessions.exportJson(created.id)
    assert.equal(document.format, "xionimus.session")
    assert.equal(document.session.title, "To export")
    assert.ok(document.events.some((event) => event.type === "assistant.text"))
    const markdown = await sessions.exportMarkdown(created.id)
    assert.match(markdown, /Answer for the export/)
    assert.match(markdown, /Exported answer/)
    assert.match(sessions.exportUrl(created.id, "markdown"), /\/export\?format=markdown$/)

    const imported = await sessions.importJson(projectId, document)
    assert.notEqual(imported.id, created.id)
    const state = reduceSession((await sessions.events(imported.id, { limit: 1000 })).items)
    assert.equal(state.messages.length, 2)

    const broken = await sessions
      .importJson(projectId, { ...document, stateHash: "0".repeat(64) })
      .catch((error: unknown) => error)
    assert.ok(broken instanceof ApiError)
    assert.equal(broken.code, "EXPORT_INVALID")
  })

  test("shares: create shows the token once, the link reads without an account, revoke ends it", async () => {
    const created = await sessions.create(projectId, { title: "Shared one" })
    mock.enqueue(text("Public answer"))
    await sessions.send(created.id, { text: "Question" })
    await waitForLog(created.id, ended(1), "the turn")

    const share = await sessions.createShare(created.id, { expiresInDays: 2 })
    assert.ok(share.token)
    const days = (Date.parse(share.expiresAt) - Date.parse(share.createdAt)) / 86_400_000
    assert.ok(Math.abs(days - 2) < 0.01)
    const listed = await sessions.listShares(created.id)
    assert.deepEqual(
      listed.map((item) => item.id),
      [share.id],
    )
    assert.equal(listed[0]?.token, undefined)

    const anonymous = createSessionsClient({ baseUrl: server.url })
    const shared = await anonymous.readShared(share.token!)
    assert.equal(shared.session.title, "Shared one")
    const state = reduceSession(shared.items)
    assert.equal(state.messages.length, 2)
    const denied = await anonymous.get(created.id).catch((error: unknown) => error)
    assert.ok(denied instanceof ApiError && denied.status === 401)

    const revoked = await sessions.revokeShare(created.id, share.id)
    assert.notEqual(revoked.revokedAt, null)
    const gone = await anonymous.readShared(share.token!).catch((error: unknown) => error)
    assert.ok(gone instanceof ApiError)
    assert.equal(gone.code, "SHARE_NOT_FOUND")
  })

  test("permission settings of the project and of the user; the models list", async () => {
    const project = await sessions.setProjectPermissions(projectId, {
      mode: "auto-edit",
      rules: [{ tool: "run", pattern: "npm test*", action: "allow" }],
    })
    assert.equal(project.mode, "auto-edit")
    assert.deepEqual(await sessions.projectPermissions(projectId), project)
    const mine = await sessions.setMyPermissions({
      rules: [{ tool: "run", pattern: "rm *", action: "deny" }],
    })
    assert.deepEqual(mine.rules, [{ tool: "run", pattern: "rm *", action: "deny" }])
    assert.deepEqual((await sessions.myPermissions()).rules, mine.rules)
    await sessions.setProjectPermissions(projectId, { mode: "ask", rules: [] })

    const models = await sessions.models()
    assert.ok(models.models.some((model) => model.name === "mock/m1"))
  })
})

/** Polls a local condition (no requests); fails with `what` after a safety timeout. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
