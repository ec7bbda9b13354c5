// The chat and session-list stores against the real server, without a browser: the model is an
// OpenAI-compatible provider pointed at the mock provider server, and live events come over the WebSocket.
import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, test } from "node:test"
import { Config } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import {
  createClient,
  createSessionsClient,
  createStreamClient,
  type SessionsClient,
  type StreamClient,
  streamUrl,
  type WebSocketConstructor,
} from "@xionimus/sdk"
import { startServer } from "@xionimus/server"
import { type MockProviderServer, signInOwner, startMockProvider } from "@xionimus/testing"
import { createChat } from "../src/stores/chat-store.ts"
import { createSessionList, followSessionChanges, parseTags } from "../src/stores/session-list-store.ts"

let dir: string
let mock: MockProviderServer
let server: Awaited<ReturnType<typeof startServer>>
let sessions: SessionsClient
let streams: StreamClient
let projectId: string
let ownerHeaders: Record<string, string>

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "xionimus-web-chat-"))
  mock = await startMockProvider()
  server = await startServer({
    config: Config.parse({
      dataDir: join(dir, "data"),
      log: { level: "silent" },
      server: { port: 0 },
      providers: { mock: { type: "openai-compatible", baseURL: mock.baseURLs.compatible, models: ["m"] } },
      models: { default: "mock/m", catalog: { "mock/m": { capabilities: { tools: true } } } },
    }),
    logger: silentLogger(),
  })
  const { headers } = await signInOwner(server.url)
  ownerHeaders = headers
  sessions = createSessionsClient({ baseUrl: server.url, headers })
  projectId = (await createClient({ baseUrl: server.url, headers }).createProject({ name: "Live chat" })).id
  const WebSocketWithKey = class extends WebSocket {
    constructor(url: string) {
      super(url, { headers } as unknown as string[])
    }
  } as unknown as WebSocketConstructor
  streams = createStreamClient({ url: streamUrl(server.url), WebSocket: WebSocketWithKey })
})
after(async () => {
  streams?.close()
  await server?.close()
  await mock?.close()
  await rm(dir, { recursive: true, force: true })
})

async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

test("a chat follows its session live: the sent message, the streamed answer, the turn's end", async () => {
  const list = createSessionList(sessions, projectId)
  const created = await list.create()
  assert.ok(created)
  const changed: string[] = []
  const chat = createChat({
    sessions,
    streams,
    sessionId: created.id,
    onSessionChanged: (id) => changed.push(id),
  })
  await eventually(() => chat.state.get().status === "ready", "the chat to load")

  mock.enqueue({ type: "stream", blocks: [{ type: "text", chunks: ["Hello ", "from ", "the mock."] }] })
  chat.setDraft("Say hello")
  assert.equal(await chat.send(), true)
  await eventually(() => chat.state.get().state.lastTurn?.outcome === "completed", "the turn to end")
  const { state } = chat.state.get()
  assert.equal(state.runState, "idle")
  assert.deepEqual(
    state.messages.map((message) => message.role),
    ["user", "assistant"],
  )
  const answer = state.messages[1]
  assert.deepEqual(answer?.role === "assistant" ? answer.parts : null, [
    { type: "text", text: "Hello from the mock." },
  ])
  assert.ok(changed.includes(created.id), "the list hears that the session changed")

  // A second chat on the same session, opened later, folds the same state from the log.
  chat.dispose()
  const reopened = createChat({ sessions, streams, sessionId: created.id })
  await eventually(() => reopened.state.get().status === "ready", "the reopened chat")
  assert.deepEqual(reopened.state.get().state.messages, state.messages)
  reopened.dispose()
  list.dispose()
})

test("the session list: tags typed with commas, a tag filter, and a session untagged leaving it", async () => {
  assert.deepEqual(parseTags(" bug, ui  review,bug,, "), ["bug", "ui review"])
  const list = createSessionList(sessions, projectId)
  const tagged = await sessions.create(projectId, { title: "Tagged one", tags: ["ui review"] })
  await sessions.create(projectId, { title: "Untagged one" })
  await list.load({ tag: "ui review" })
  assert.deepEqual(
    list.state.get().items.map((item) => item.id),
    [tagged.id],
  )
  await list.update(tagged.id, { tags: parseTags("bug") })
  assert.equal(list.state.get().items.length, 0, "a session that lost the tag leaves the filtered view")
  await list.load({ tag: null })
  assert.ok(list.state.get().items.some((item) => item.id === tagged.id))
  list.dispose()
})

test("the session list: pages, search, pin order, archive view", async () => {
  const list = createSessionList(sessions, projectId, 2)
  for (const title of ["Apple plan", "Banana plan", "Cherry"]) await sessions.create(projectId, { title })
  const total = (await sessions.list(projectId, { limit: 200 })).items.length
  await list.load()
  assert.equal(list.state.get().items.length, 2)
  while (list.state.get().nextCursor) await list.loadMore()
  assert.equal(list.state.get().items.length, total)
  assert.equal(new Set(list.state.get().items.map((item) => item.id)).size, total)

  await list.load({ query: "plan" })
  assert.deepEqual(
    list.state
      .get()
      .items.map((item) => item.title)
      .sort(),
    ["Apple plan", "Banana plan"],
  )

  const apple = list.state.get().items.find((item) => item.title === "Apple plan")!
  await list.update(apple.id, { pinned: true })
  assert.equal(list.state.get().items[0]?.id, apple.id)
  await list.update(apple.id, { archived: true })
  assert.ok(!list.state.get().items.some((item) => item.id === apple.id), "archived leaves the live view")
  await list.load({ archived: true, query: "" })
  assert.deepEqual(
    list.state.get().items.map((item) => item.id),
    [apple.id],
  )
  list.dispose()
})

test("the session list follows sessions added, renamed and removed elsewhere", async () => {
  const list = createSessionList(sessions, projectId)
  await list.load()
  const client = createClient({ baseUrl: server.url, headers: ownerHeaders })
  const stop = followSessionChanges({ client, streams, projectId, list })
  try {
    // Give the subscription time to start from the head, then change sessions through another client.
    await new Promise((resolve) => setTimeout(resolve, 200))
    const other = await sessions.create(projectId, { title: "Made in another tab" })
    await eventually(() => list.state.get().items.some((item) => item.id === other.id), "the new session")
    await sessions.update(other.id, { title: "Renamed elsewhere" })
    await eventually(
      () => list.state.get().items.find((item) => item.id === other.id)?.title === "Renamed elsewhere",
      "the new title",
    )
    await sessions.remove(other.id)
    await eventually(() => !list.state.get().items.some((item) => item.id === other.id), "the removal")
  } finally {
    stop()
    list.dispose()
  }
})
