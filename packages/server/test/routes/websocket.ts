import assert from "node:assert/strict"
import type { AddressInfo } from "node:net"
import { after, before, describe, test } from "node:test"
import type { ServerFrame } from "@xionimus/protocol"
import { createProject, expectError } from "../support/expect-error.ts"
import { connectFrames, eventually } from "../support/frame-client.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

type EventFrame = Extract<ServerFrame, { type: "event" }>
const isEvent = (frame: ServerFrame): frame is EventFrame => frame.type === "event"

export function websocketTests(): void {
  describe("WebSocket /api/stream", () => {
    let harness: TestApp
    let url: string
    before(async () => {
      harness = await createTestApp({ app: { streamSocket: { maxSubscriptions: 3, maxInvalidFrames: 3 } } })
      await harness.app.listen({ host: "127.0.0.1", port: 0 })
      url = `ws://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}/api/stream`
    })
    after(() => harness.close())

    const write = async (projectId: string, path: string) => {
      const response = await harness.app.inject({
        method: "PUT",
        url: `/api/projects/${projectId}/files`,
        payload: { path, content: path },
      })
      assert.equal(response.statusCode, 200)
    }

    test("subscribe with after: missed events, then live ones; unsubscribe; reconnect resumes exactly", async () => {
      const project = await createProject(harness.app, "Live")
      await write(project.id, "a.txt")
      await write(project.id, "b.txt")

      const first = await connectFrames(url, harness.ownerHeaders)
      first.send({ type: "subscribe", stream: project.id, after: 1 })
      assert.deepEqual(await first.next(), { type: "subscribed", stream: project.id, head: 3 })
      const missed = [await first.next(), await first.next()] as EventFrame[]
      assert.deepEqual(
        missed.map((frame) => [frame.type, frame.event.seq, (frame.event.data as { path: string }).path]),
        [
          ["event", 2, "a.txt"],
          ["event", 3, "b.txt"],
        ],
      )
      await write(project.id, "c.txt")
      const live = (await first.next()) as EventFrame
      assert.deepEqual([live.type, live.stream, live.event.seq], ["event", project.id, 4])

      first.send({ type: "unsubscribe", stream: project.id })
      assert.deepEqual(await first.next(), { type: "unsubscribed", stream: project.id })
      await write(project.id, "d.txt")
      // Frames keep their order on one socket: had seq 5 been sent, it would arrive before the pong.
      first.send({ type: "ping" })
      assert.deepEqual(await first.next(), { type: "pong" })
      assert.deepEqual(first.buffered, [])
      await first.close()

      const second = await connectFrames(url, harness.ownerHeaders)
      second.send({ type: "subscribe", stream: project.id, after: live.event.seq })
      assert.deepEqual(await second.next(), { type: "subscribed", stream: project.id, head: 5 })
      const resumed = (await second.next()) as EventFrame
      assert.deepEqual([resumed.event.seq, (resumed.event.data as { path: string }).path], [5, "d.txt"])
      second.send({ type: "ping" })
      assert.deepEqual(await second.next(), { type: "pong" }, "nothing but the missed event arrived")
      await second.close()
      await eventually(() => harness.services.bus.subscriberCount === 0, "subscriptions released")
    })

    test("many subscriptions per socket up to the cap; closing the socket releases them all", async () => {
      const client = await connectFrames(url, harness.ownerHeaders)
      for (const stream of ["imp_stream-one-000000", "imp_stream-two-000000", "imp_stream-three-0000"]) {
        client.send({ type: "subscribe", stream })
        assert.deepEqual(await client.next(), { type: "subscribed", stream, head: 0 })
      }
      // Subscribing again to a stream replaces its subscription instead of adding one.
      client.send({ type: "subscribe", stream: "imp_stream-two-000000", after: 0 })
      assert.deepEqual(await client.next(), { type: "subscribed", stream: "imp_stream-two-000000", head: 0 })
      assert.equal(harness.services.bus.subscriberCount, 3)
      client.send({ type: "subscribe", stream: "imp_stream-four-00000" })
      const refused = await client.next()
      assert.equal(refused.type, "error")
      assert.deepEqual(refused.type === "error" && [refused.stream, refused.error.code], [
        "imp_stream-four-00000",
        "SUBSCRIPTION_LIMIT",
      ])
      await client.close()
      await eventually(() => harness.services.bus.subscriberCount === 0, "subscriptions released on close")
    })

    test("events of other streams never arrive; several streams interleave on one socket", async () => {
      const one = await createProject(harness.app, "Stream one")
      const two = await createProject(harness.app, "Stream two")
      const other = await createProject(harness.app, "Stream other")
      const client = await connectFrames(url, harness.ownerHeaders)
      client.send({ type: "subscribe", stream: one.id, after: 1 })
      await client.next((frame) => frame.type === "subscribed")
      client.send({ type: "subscribe", stream: two.id, after: 1 })
      await client.next((frame) => frame.type === "subscribed")
      await write(other.id, "x.txt")
      await write(two.id, "two.txt")
      await write(one.id, "one.txt")
      const received = [await client.next(isEvent), await client.next(isEvent)] as EventFrame[]
      assert.deepEqual(
        received.map((frame) => [frame.stream, (frame.event.data as { path: string }).path]),
        [
          [two.id, "two.txt"],
          [one.id, "one.txt"],
        ],
      )
      await client.close()
      await eventually(() => harness.services.bus.subscriberCount === 0, "subscriptions released")
    })

    test("a stream of no known kind is refused with STREAM_NOT_FOUND", async () => {
      const client = await connectFrames(url, harness.ownerHeaders)
      client.send({ type: "subscribe", stream: "orc_not-readable-yet" })
      const refused = await client.next()
      assert.deepEqual(refused.type === "error" && [refused.stream, refused.error.code], [
        "orc_not-readable-yet",
        "STREAM_NOT_FOUND",
      ])
      await client.close()
    })

    test("ping answers pong", async () => {
      const client = await connectFrames(url, harness.ownerHeaders)
      client.send({ type: "ping" })
      assert.deepEqual(await client.next(), { type: "pong" })
      await client.close()
    })

    test("invalid frames answer FRAME_INVALID; too many close the socket with 4400", async () => {
      const client = await connectFrames(url, harness.ownerHeaders)
      const frames = ["not json", JSON.stringify({ type: "subscribe", stream: "BAD NAME" })]
      for (const frame of frames) {
        client.sendRaw(frame)
        const answer = await client.next()
        assert.equal(answer.type, "error")
        assert.equal(answer.type === "error" && answer.error.code, "FRAME_INVALID")
      }
      client.send({ type: "subscribe", stream: "tst_ok", extra: true })
      const third = await client.next()
      assert.equal(third.type === "error" && third.error.code, "FRAME_INVALID")
      assert.equal((await client.closed).code, 4400)
    })

    test("a plain GET is UPGRADE_REQUIRED", async () => {
      const response = await harness.app.inject({ method: "GET", url: "/api/stream" })
      expectError(response, 426, "UPGRADE_REQUIRED")
    })
  })

  describe("WebSocket shutdown", () => {
    test("closing the app closes sockets with 1001 and releases their subscriptions", async () => {
      const harness = await createTestApp()
      await harness.app.listen({ host: "127.0.0.1", port: 0 })
      const port = (harness.app.server.address() as AddressInfo).port
      const client = await connectFrames(`ws://127.0.0.1:${port}/api/stream`, harness.ownerHeaders)
      client.send({ type: "subscribe", stream: "imp_shutdown-000000000" })
      await client.next()
      assert.equal(harness.services.bus.subscriberCount, 1)
      await harness.app.close()
      assert.equal((await client.closed).code, 1001)
      await eventually(() => harness.services.bus.subscriberCount === 0, "subscriptions released")
      await harness.close()
    })
  })
}
