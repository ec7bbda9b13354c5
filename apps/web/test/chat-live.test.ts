// The chat and session-list stores against the real server, without a browser: the model is an
// OpenAI-compatible provider pointed at the mock provider server, and live events come over the WebSocket.
import assert from "node:assert/strict"
import { after, before, test } from "node:test"
import { createClient, type SessionsClient, type StreamClient } from "@xionimus/sdk"
import type { MockProviderServer } from "@xionimus/testing"
import { createChat } from "../src/stores/chat-store.ts"
import { createSessionList, followSessionChanges, parseTags } from "../src/stores/session-list-store.ts"
import { eventually, type RealServer, startRealServer } from "./support/real-server.ts"

let real: RealServer
let mock: MockProviderServer
let sessions: SessionsClient
let streams: StreamClient
let projectId: string

before(async () => {
  real = await startRealServer({ mockModel: true })
  mock = real.mock!
  sessions = real.sessions
  streams = real.streams
  projectId = (await real.client.createProject({ name: "Live chat" })).id
})
after(() => real?.close())

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
  const client = createClient({ baseUrl: real.url, headers: real.headers })
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
