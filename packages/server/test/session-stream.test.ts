// Live session streams over real sockets: a turn's events over the WebSocket in order, a client that drops
// mid-turn and resumes with its last seq, Server-Sent Events with Last-Event-ID, heartbeats, and every
// subscription released when its client goes.
import assert from "node:assert/strict"
import { type AddressInfo, Socket } from "node:net"
import { after, before, describe, test } from "node:test"
import { newId } from "@xionimus/kit"
import type { ServerFrame, Session, StoredEvent } from "@xionimus/protocol"
import { createProject, expectError } from "./support/expect-error.ts"
import { connectFrames, eventually } from "./support/frame-client.ts"
import { createGatedModel } from "./support/gated-model.ts"
import { createSession, createSessionTestApp, sendMessage, sessionEvents } from "./support/session-app.ts"
import { connectSse, type SseMessage } from "./support/sse-client.ts"
import type { TestApp } from "./support/test-app.ts"

type EventFrame = Extract<ServerFrame, { type: "event" }>
const isEvent = (frame: ServerFrame): frame is EventFrame => frame.type === "event"

const model = createGatedModel(["Hello ", "from "], ["the ", "gated ", "model."])
let harness: TestApp
let origin: string
let socketUrl: string

before(async () => {
  harness = await createSessionTestApp(model, { app: { eventStream: { heartbeatMs: 50 } } })
  await harness.app.listen({ host: "127.0.0.1", port: 0 })
  origin = `http://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`
  socketUrl = `${origin.replace("http", "ws")}/api/stream`
})
after(() => harness.close())

/** Runs one turn with the gate open and returns the session's whole log. */
async function completedTurn(session: Session, text: string): Promise<StoredEvent[]> {
  model.open()
  await sendMessage(harness.app, session.id, text)
  await harness.services.sessions.idle(session.id)
  model.reset()
  return sessionEvents(harness.app, session.id)
}

describe("WebSocket: a session's turn", () => {
  test("every event of a turn arrives in order, exactly as the log holds it", async () => {
    const project = await createProject(harness.app, "Live turn")
    const session = await createSession(harness.app, project.id)
    const client = await connectFrames(socketUrl, harness.ownerHeaders)
    client.send({ type: "subscribe", stream: session.id, after: 0 })
    assert.deepEqual(await client.next(), { type: "subscribed", stream: session.id, head: 1 })

    model.open()
    await sendMessage(harness.app, session.id, "Say hello")
    const received: StoredEvent[] = []
    for (;;) {
      const frame = await client.next(isEvent)
      received.push((frame as EventFrame).event)
      if ((frame as EventFrame).event.type === "turn.ended") break
    }
    await harness.services.sessions.idle(session.id)
    model.reset()
    const log = await sessionEvents(harness.app, session.id)
    assert.deepEqual(received, log)
    assert.equal(
      received
        .filter((event) => event.type === "assistant.text")
        .map((event) => (event.data as { text: string }).text)
        .join(""),
      "Hello from the gated model.",
    )
    assert.equal((received.at(-1)!.data as { outcome: string }).outcome, "completed")
    await client.close()
  })

  test("a client that drops mid-turn and resumes from its last seq gets exactly what it missed", async () => {
    const project = await createProject(harness.app, "Drop")
    const session = await createSession(harness.app, project.id)
    // Earlier tests' clients are gone: wait until the server let go of them too.
    await eventually(() => harness.services.bus.subscriberCount === 0, "earlier clients released")
    const baseline = 0
    const first = await connectFrames(socketUrl, harness.ownerHeaders)
    first.send({ type: "subscribe", stream: session.id, after: 0 })
    await first.next((frame) => frame.type === "subscribed")
    await sendMessage(harness.app, session.id, "Say hello slowly")

    // The model now waits at its gate: the turn is running. Drop the connection here.
    const seen: StoredEvent[] = []
    for (;;) {
      const frame = (await first.next(isEvent)) as EventFrame
      seen.push(frame.event)
      if (frame.event.type === "assistant.started") break
    }
    await first.close()
    await eventually(
      () => harness.services.bus.subscriberCount === baseline,
      "the dropped subscription released",
    )
    const running = (await harness.app.inject({ method: "GET", url: `/api/sessions/${session.id}` })).json()
    assert.equal((running as Session).runState, "running")

    model.open()
    await harness.services.sessions.idle(session.id)
    model.reset()
    const log = await sessionEvents(harness.app, session.id)
    const lastSeq = seen.at(-1)!.seq
    assert.ok(log.length > lastSeq, "the turn went on after the drop")

    const second = await connectFrames(socketUrl, harness.ownerHeaders)
    second.send({ type: "subscribe", stream: session.id, after: lastSeq })
    assert.deepEqual(await second.next(), { type: "subscribed", stream: session.id, head: log.length })
    const missed: StoredEvent[] = []
    while (missed.length < log.length - lastSeq)
      missed.push(((await second.next(isEvent)) as EventFrame).event)
    assert.deepEqual(missed, log.slice(lastSeq))
    assert.deepEqual([...seen, ...missed], log, "nothing lost, nothing twice")
    // Nothing else follows: a pong comes next.
    second.send({ type: "ping" })
    assert.deepEqual(await second.next(), { type: "pong" })
    await second.close()
    await eventually(() => harness.services.bus.subscriberCount === baseline, "every subscription released")
  })

  test("a message sent while a turn runs is queued and answered next; cancel ends a running turn", async () => {
    const project = await createProject(harness.app, "Queue")
    const session = await createSession(harness.app, project.id)
    const first = await sendMessage(harness.app, session.id, "First")
    assert.equal(first.queued, false)
    const second = await sendMessage(harness.app, session.id, "Second")
    assert.equal(second.queued, true)
    model.open()
    await harness.services.sessions.idle(session.id)
    model.reset()
    const log = await sessionEvents(harness.app, session.id)
    const messages = log.filter((event) => event.type === "message.created")
    assert.deepEqual(
      messages.map((event) => (event.data as { queued: boolean; text: string }).queued),
      [false, true],
    )
    const turns = log.filter((event) => event.type === "turn.started")
    assert.deepEqual(
      turns.map((event) => (event.data as { messageId?: string }).messageId),
      [first.messageId, second.messageId],
    )
    assert.deepEqual(
      log
        .filter((event) => event.type === "turn.ended")
        .map((event) => (event.data as { outcome: string }).outcome),
      ["completed", "completed"],
    )

    // The model waits at its gate; cancel over HTTP.
    const callsBefore = model.calls
    await sendMessage(harness.app, session.id, "Third")
    await eventually(() => model.calls > callsBefore, "the third turn calling the model")
    const cancelled = await harness.app.inject({ method: "POST", url: `/api/sessions/${session.id}/cancel` })
    assert.equal(cancelled.statusCode, 202, cancelled.body)
    await harness.services.sessions.idle(session.id)
    const ended = (await sessionEvents(harness.app, session.id)).filter(
      (event) => event.type === "turn.ended",
    )
    assert.equal((ended.at(-1)!.data as { outcome: string }).outcome, "cancelled")
    const state = (await harness.app.inject({ method: "GET", url: `/api/sessions/${session.id}` })).json()
    assert.equal((state as Session).runState, "idle")
  })

  test("another team's user cannot subscribe to the session", async () => {
    const project = await createProject(harness.app, "Private")
    const session = await createSession(harness.app, project.id)
    const created = await harness.app.inject({
      method: "POST",
      url: "/api/users",
      payload: { email: "outsider@example.test", password: "a long enough passphrase" },
    })
    const outsider = (created.json() as { id: string }).id
    const { secret } = await harness.services.auth.createApiKey(
      { userId: outsider, name: "outsider", scope: "read" },
      { userId: outsider, keyId: null, ip: null, userAgent: null },
    )
    const client = await connectFrames(socketUrl, { authorization: `Bearer ${secret}` })
    client.send({ type: "subscribe", stream: session.id, after: 0 })
    const refused = await client.next()
    assert.equal(refused.type, "error")
    assert.equal((refused as Extract<ServerFrame, { type: "error" }>).error.code, "SESSION_NOT_FOUND")
    await client.close()
  })
})

describe("Server-Sent Events", () => {
  let session: Session
  let log: StoredEvent[]
  before(async () => {
    const project = await createProject(harness.app, "SSE")
    session = await createSession(harness.app, project.id)
    log = await completedTurn(session, "Hello?")
  })

  const streamUrl = (query = "") => `${origin}/api/sessions/${session.id}/events/stream${query}`
  const asEvent = (message: SseMessage) => JSON.parse(message.data!) as StoredEvent
  const isSseEvent = (message: SseMessage) => message.id !== undefined

  test("Last-Event-ID resumes after that seq: id is the seq, event the type, data the stored event", async () => {
    // Earlier tests' clients are gone: wait until the server let go of them too.
    await eventually(() => harness.services.bus.subscriberCount === 0, "earlier clients released")
    const baseline = 0
    const client = await connectSse(streamUrl("?after=1"), { ...harness.ownerHeaders, "last-event-id": "3" })
    assert.equal(client.status, 200)
    assert.match(String(client.headers.get("content-type")), /^text\/event-stream/)
    assert.equal(client.headers.get("cache-control"), "no-cache, no-transform")
    const received: SseMessage[] = []
    while (received.length < log.length - 3) received.push(await client.next(isSseEvent))
    assert.deepEqual(
      received.map((message) => [message.id, message.event]),
      log.slice(3).map((event) => [String(event.seq), event.type]),
    )
    assert.deepEqual(received.map(asEvent), log.slice(3))
    assert.equal(harness.services.bus.subscriberCount, baseline + 1)
    client.close()
    await eventually(() => harness.services.bus.subscriberCount === baseline, "the SSE subscription released")
  })

  test("?after without Last-Event-ID; then live events of the next turn; heartbeats while idle", async () => {
    const client = await connectSse(streamUrl(`?after=${log.length}`), harness.ownerHeaders)
    assert.ok((await client.next((message) => message.comment === "heartbeat")).comment)
    assert.deepEqual(client.buffered.filter(isSseEvent), [], "nothing after the head until something happens")
    model.open()
    await sendMessage(harness.app, session.id, "Again")
    const live: StoredEvent[] = []
    for (;;) {
      const event = asEvent(await client.next(isSseEvent))
      live.push(event)
      if (event.type === "turn.ended") break
    }
    await harness.services.sessions.idle(session.id)
    model.reset()
    assert.equal(live[0]!.seq, log.length + 1)
    assert.deepEqual(live, (await sessionEvents(harness.app, session.id)).slice(log.length))
    client.close()
  })

  test("a malformed Last-Event-ID is refused before the stream opens", async () => {
    const response = await harness.app.inject({
      method: "GET",
      url: `/api/sessions/${session.id}/events/stream`,
      headers: { "last-event-id": "seven" },
    })
    expectError(response, 400, "VALIDATION_FAILED")
  })

  test("a client that stops reading is dropped once it is too far behind, and its subscription released", async () => {
    const slow = await createSessionTestApp(createGatedModel([], []), {
      app: { eventStream: { maxBufferedBytes: 64 * 1024 } },
    })
    const socket = new Socket()
    try {
      await slow.app.listen({ host: "127.0.0.1", port: 0 })
      const project = await createProject(slow.app, "Slow reader")
      const stuck = await createSession(slow.app, project.id)
      // A raw client that sends its request and then never reads a byte.
      await new Promise<void>((resolve) =>
        socket.connect((slow.app.server.address() as AddressInfo).port, "127.0.0.1", resolve),
      )
      socket.pause()
      socket.write(
        `GET /api/sessions/${stuck.id}/events/stream HTTP/1.1\r\nhost: 127.0.0.1\r\n` +
          `authorization: ${slow.ownerHeaders.authorization}\r\n\r\n`,
      )
      await eventually(() => slow.services.bus.subscriberCount === 1, "the stream subscribed")
      // Far more than the socket buffers hold: the backlog piles up on the server.
      const filler = "x".repeat(100_000)
      for (let index = 0; index < 300 && slow.services.bus.subscriberCount > 0; index++) {
        await slow.services.bus.append(stuck.id, [
          { id: newId("evt"), type: "test.filler", data: { filler } },
        ])
      }
      await eventually(
        () => slow.services.bus.subscriberCount === 0,
        "the slow client's subscription released",
      )
    } finally {
      socket.destroy()
      await slow.close()
    }
  })

  test("shutting the app down ends open streams at once, releasing their subscriptions", async () => {
    const other = await createSessionTestApp(createGatedModel([], []))
    try {
      await other.app.listen({ host: "127.0.0.1", port: 0 })
      const address = other.app.server.address() as AddressInfo
      const project = await createProject(other.app, "Closing")
      const closing = await createSession(other.app, project.id)
      const client = await connectSse(
        `http://127.0.0.1:${address.port}/api/sessions/${closing.id}/events/stream`,
        other.ownerHeaders,
      )
      await client.next(isSseEvent)
      assert.equal(other.services.bus.subscriberCount, 1)
      await other.app.close()
      await client.ended
      await eventually(() => other.services.bus.subscriberCount === 0, "the stream's subscription released")
    } finally {
      await other.close()
    }
  })
})
