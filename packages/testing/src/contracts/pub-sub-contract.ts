import assert from "node:assert/strict"
import { randomBytes } from "node:crypto"
import { afterEach, beforeEach, describe, it } from "node:test"
import type { PubSub } from "@xionimus/bus"
import { waitFor } from "./wait-for.ts"

export interface PubSubFixture {
  pubsub: PubSub
  /** Listeners the transport still holds for `channel` (in-process: its table; Redis: PUBSUB NUMSUB). */
  channelListeners(channel: string): Promise<number>
  close(): Promise<void>
}

/** What every PubSub must do; `open` makes a fresh fixture for each test. */
export function pubSubContract(name: string, open: () => Promise<PubSubFixture>): void {
  describe(`PubSub contract: ${name}`, () => {
    let fixture: PubSubFixture
    let pubsub: PubSub
    beforeEach(async () => {
      fixture = await open()
      pubsub = fixture.pubsub
    })
    afterEach(() => fixture?.close())

    const channel = () => `test:${randomBytes(6).toString("hex")}`

    it("answers ping", async () => {
      await pubsub.ping()
    })

    it("delivers to every listener of the channel, in publish order, and to no other channel", async () => {
      const [one, two] = [channel(), channel()]
      const first: string[] = []
      const second: string[] = []
      const other: string[] = []
      const disposers = [
        await pubsub.subscribe(one, (payload) => first.push(payload)),
        await pubsub.subscribe(one, (payload) => second.push(payload)),
        await pubsub.subscribe(two, (payload) => other.push(payload)),
      ]
      for (let index = 0; index < 50; index++) await pubsub.publish(one, `m${index}`)
      await pubsub.publish(two, "end")
      await waitFor(() => first.length === 50 && second.length === 50 && other.length === 1, "all messages")
      const expected = Array.from({ length: 50 }, (_, index) => `m${index}`)
      assert.deepEqual(first, expected)
      assert.deepEqual(second, expected)
      assert.deepEqual(other, ["end"])
      for (const dispose of disposers) await dispose()
    })

    it("removes only the disposed listener, and the channel with the last one", async () => {
      const name = channel()
      const kept: string[] = []
      const dropped: string[] = []
      const keep = await pubsub.subscribe(name, (payload) => kept.push(payload))
      const drop = await pubsub.subscribe(name, (payload) => dropped.push(payload))
      await drop()
      await drop()
      await pubsub.publish(name, "after")
      await waitFor(() => kept.length === 1, "the message on the kept listener")
      assert.deepEqual(dropped, [])
      assert.ok((await fixture.channelListeners(name)) > 0)
      await keep()
      assert.equal(await fixture.channelListeners(name), 0)
    })

    it("lets the same function listen twice, each with its own disposer", async () => {
      const name = channel()
      const received: string[] = []
      const listener = (payload: string) => received.push(payload)
      const first = await pubsub.subscribe(name, listener)
      const second = await pubsub.subscribe(name, listener)
      await first()
      await pubsub.publish(name, "once")
      await waitFor(() => received.length === 1, "one delivery")
      await second()
      assert.equal(await fixture.channelListeners(name), 0)
    })

    it("keeps delivering to the others when a listener throws", async () => {
      const name = channel()
      const received: string[] = []
      const failing = await pubsub.subscribe(name, () => {
        throw new Error("listener bug")
      })
      const working = await pubsub.subscribe(name, (payload) => received.push(payload))
      await pubsub.publish(name, "a")
      await pubsub.publish(name, "b")
      await waitFor(() => received.length === 2, "both messages")
      await failing()
      await working()
    })
  })
}
