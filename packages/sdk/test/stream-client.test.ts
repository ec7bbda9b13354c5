import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import {
  type Client,
  type ConnectionState,
  createClient,
  createStreamClient,
  type StreamClient,
  streamUrl,
} from "../src/index.ts"
import { eventually, startTestServer, type TestServer, webSocketWith } from "./support/test-server.ts"
import { createTestTransport } from "./support/test-transport.ts"

const fastBackoff = { initialMs: 20, maxMs: 200 }

describe("SDK stream client (real server)", () => {
  let server: TestServer
  let client: Client
  const open: StreamClient[] = []

  before(async () => {
    server = await startTestServer()
    client = createClient({ baseUrl: server.url, headers: server.headers })
  })
  after(async () => {
    for (const streams of open) streams.close()
    await server.close()
  })

  function connect(options: Partial<Parameters<typeof createStreamClient>[0]> = {}): StreamClient {
    const streams = createStreamClient({
      url: streamUrl(server.url),
      backoff: fastBackoff,
      WebSocket: webSocketWith(server.headers),
      ...options,
    })
    open.push(streams)
    return streams
  }

  async function newProject(name: string): Promise<string> {
    return (await client.createProject({ name })).id
  }

  test("replays from `after`, then delivers live events in order", async () => {
    const id = await newProject("Replay")
    await client.createEntry(id, { path: "a.txt", type: "file", content: "a" })
    const streams = connect()
    const seqs: number[] = []
    let head: number | undefined
    streams.subscribe(id, {
      after: 1,
      onEvent: (event) => seqs.push(event.seq),
      onSubscribed: (at) => (head = at),
    })
    await eventually(() => seqs.length === 1, "the replayed event")
    assert.equal(head, 2)
    await client.createEntry(id, { path: "b.txt", type: "file", content: "b" })
    await eventually(() => seqs.length === 2, "the live event")
    assert.deepEqual(seqs, [2, 3])
    assert.equal(streams.lastSeq(id), 3)
    assert.equal(streams.state, "open")
  })

  test("a lost connection resumes from the last seq: nothing missed, nothing twice", async () => {
    const id = await newProject("Resume")
    const transport = createTestTransport(server.headers)
    const streams = connect({ WebSocket: transport.WebSocket })
    const states: ConnectionState[] = []
    streams.onStateChange((state) => states.push(state))
    const seqs: number[] = []
    streams.subscribe(id, { onEvent: (event) => seqs.push(event.seq) })
    await eventually(() => seqs.length === 1, "project.created")

    transport.cut()
    await eventually(() => streams.state === "reconnecting", "the reconnecting state")
    // These happen while the client is away.
    for (const name of ["x", "y", "z"]) await client.createEntry(id, { path: `${name}.txt`, type: "file" })
    transport.mend()
    await eventually(() => seqs.length === 4, "the missed events")
    await client.renameProject(id, "Resumed")
    await eventually(() => seqs.length === 5, "a live event after resuming")
    assert.deepEqual(seqs, [1, 2, 3, 4, 5])
    assert.deepEqual(states.slice(0, 2), ["open", "reconnecting"])
    assert.equal(states.at(-1), "open")
    const resubscribe = transport.sent
      .map((text) => JSON.parse(text))
      .filter((frame) => frame.type === "subscribe")
    assert.deepEqual(resubscribe.at(-1), { type: "subscribe", stream: id, after: 1 })
  })

  test("survives a server restart and goes on from the last seq", async () => {
    const id = await newProject("Restart")
    const streams = connect()
    const seqs: number[] = []
    streams.subscribe(id, { onEvent: (event) => seqs.push(event.seq) })
    await eventually(() => seqs.length === 1, "project.created")
    await server.stop()
    await eventually(() => streams.state === "reconnecting", "the reconnecting state")
    await server.restart()
    await eventually(() => streams.state === "open", "the open state again")
    await client.createEntry(id, { path: "after-restart.txt", type: "file" })
    await eventually(() => seqs.length === 2, "the event after the restart")
    assert.deepEqual(seqs, [1, 2])
  })

  test("duplicated frames are delivered once", async () => {
    const id = await newProject("Duplicates")
    const transport = createTestTransport(server.headers)
    transport.setFilter((data) => (JSON.parse(data).type === "event" ? [data, data] : [data]))
    const streams = connect({ WebSocket: transport.WebSocket })
    const seqs: number[] = []
    streams.subscribe(id, { onEvent: (event) => seqs.push(event.seq) })
    await client.createEntry(id, { path: "one.txt", type: "file" })
    await client.createEntry(id, { path: "two.txt", type: "file" })
    await eventually(() => seqs.length >= 3, "three events")
    await client.renameProject(id, "Duplicates 2")
    await eventually(() => seqs.includes(4), "the fourth event")
    assert.deepEqual(seqs, [1, 2, 3, 4])
  })

  test("a gap (a lost frame) is filled by subscribing again from the last seq", async () => {
    const id = await newProject("Gap")
    const transport = createTestTransport(server.headers)
    let dropped = false
    transport.setFilter((data) => {
      const frame = JSON.parse(data)
      if (!dropped && frame.type === "event" && frame.event.seq === 2) {
        dropped = true
        return []
      }
      return [data]
    })
    const streams = connect({ WebSocket: transport.WebSocket })
    const seqs: number[] = []
    streams.subscribe(id, { onEvent: (event) => seqs.push(event.seq) })
    await eventually(() => seqs.length === 1, "project.created")
    await client.createEntry(id, { path: "lost.txt", type: "file" })
    await client.createEntry(id, { path: "after.txt", type: "file" })
    await eventually(() => seqs.length === 3, "the refilled events")
    assert.ok(dropped)
    assert.deepEqual(seqs, [1, 2, 3])
  })

  test("a silent connection is dropped by the heartbeat and replaced", async () => {
    const id = await newProject("Heartbeat")
    const transport = createTestTransport(server.headers)
    const streams = connect({ WebSocket: transport.WebSocket, heartbeatMs: 50 })
    const seqs: number[] = []
    streams.subscribe(id, { onEvent: (event) => seqs.push(event.seq) })
    await eventually(() => seqs.length === 1, "project.created")
    transport.setFilter(() => [])
    await eventually(() => transport.sockets.length >= 2, "a new socket after the silence")
    transport.setFilter((data) => [data])
    await eventually(() => streams.state === "open", "the open state again")
    await client.createEntry(id, { path: "heard.txt", type: "file" })
    await eventually(() => seqs.length === 2, "the event on the new socket")
    assert.deepEqual(seqs, [1, 2])
    assert.ok(transport.sent.some((text) => JSON.parse(text).type === "ping"))
  })

  test("several listeners share a stream; disposing the last one unsubscribes", async () => {
    const id = await newProject("Listeners")
    const transport = createTestTransport(server.headers)
    const streams = connect({ WebSocket: transport.WebSocket })
    const first: number[] = []
    const second: number[] = []
    const disposeFirst = streams.subscribe(id, { onEvent: (event) => first.push(event.seq) })
    await eventually(() => first.length === 1, "project.created")
    const disposeSecond = streams.subscribe(id, { onEvent: (event) => second.push(event.seq) })
    await client.createEntry(id, { path: "shared.txt", type: "file" })
    await eventually(() => first.length === 2 && second.length === 1, "the shared event")
    assert.deepEqual(second, [2])

    disposeFirst()
    assert.equal(streams.lastSeq(id), 2)
    disposeSecond()
    assert.equal(streams.lastSeq(id), undefined)
    await client.createEntry(id, { path: "unheard.txt", type: "file" })
    assert.deepEqual(first, [1, 2])
    assert.deepEqual(second, [2])
    assert.ok(transport.sent.some((text) => text === JSON.stringify({ type: "unsubscribe", stream: id })))
  })

  test("rejects invalid stream names, and subscribing after close", () => {
    const streams = connect()
    assert.throws(() => streams.subscribe("not a stream", { onEvent() {} }), { code: "STREAM_INVALID" })
    const states: ConnectionState[] = []
    streams.onStateChange((state) => states.push(state))
    streams.close()
    assert.equal(streams.state, "closed")
    assert.deepEqual(states, ["closed"])
    assert.throws(() => streams.subscribe("prj_0190b6f3a2c10aJ9xQ2mP7vLab", { onEvent() {} }), {
      code: "STREAM_CLIENT_CLOSED",
    })
  })
})
