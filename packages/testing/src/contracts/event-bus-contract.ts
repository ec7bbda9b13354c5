import assert from "node:assert/strict"
import { afterEach, beforeEach, describe, it } from "node:test"
import { type EventBus, type EventLog, eventChannel } from "@xionimus/bus"
import { newId } from "@xionimus/kit"
import type { NewEvent, StoredEvent } from "@xionimus/protocol"
import { expectCollected } from "./expect-collected.ts"
import { waitFor } from "./wait-for.ts"

export interface EventBusFixture {
  bus: EventBus
  /** The log under the bus, to append behind its back (as if a publish had been lost). */
  log: EventLog
  /** A second bus on the same log with pub/sub connections of its own: another server node. */
  peer?: EventBus
  /** Listeners the pub/sub still holds for `channel` (in-process: its table; Redis: PUBSUB NUMSUB). */
  channelListeners(channel: string): Promise<number>
  /** Closes the buses (not the shared log). */
  close(): Promise<void>
}

function events(count: number): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({
    id: newId("evt"),
    type: "test.event.added",
    data: { index },
  }))
}

function seqs(received: StoredEvent[]): number[] {
  return received.map((event) => event.seq)
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index)
}

/**
 * What every EventBus set-up must do; `open` makes a fresh fixture for each test. With `multiNode`
 * the fixture has a `peer` and events must cross between the two.
 */
export function eventBusContract(
  name: string,
  open: () => Promise<EventBusFixture>,
  options: { multiNode?: boolean } = {},
): void {
  describe(`EventBus contract: ${name}`, () => {
    let fixture: EventBusFixture
    let bus: EventBus
    beforeEach(async () => {
      fixture = await open()
      bus = fixture.bus
    })
    afterEach(() => fixture?.close())

    async function follow(stream: string, after: number, on: EventBus = bus) {
      const received: StoredEvent[] = []
      const subscription = await on.subscribe(stream, { after, onEvent: (event) => received.push(event) })
      return { received, subscription }
    }

    it("delivers the log after `after`, then live events, in order, once each", async () => {
      const stream = newId("prj")
      await bus.append(stream, events(5))
      const { received, subscription } = await follow(stream, 2)
      assert.equal(subscription.head, 5)
      assert.equal(received.length, 0, "nothing is delivered before subscribe resolves")
      await bus.append(stream, events(3))
      await waitFor(() => received.length >= 6, "events 3 to 8")
      assert.deepEqual(seqs(received), range(3, 8))
      assert.deepEqual(received, await bus.read(stream, { after: 2, limit: 100 }))
      await subscription.dispose()
    })

    it("misses nothing and repeats nothing when events are appended while it catches up", async () => {
      const stream = newId("prj")
      for (let batch = 0; batch < 25; batch++) await bus.append(stream, events(100))
      // Three appenders, one event per call, racing the catch-up's reads.
      const appending = Promise.all(
        [0, 1, 2].map(async () => {
          for (let index = 0; index < 100; index++) await bus.append(stream, events(1))
        }),
      )
      const { received, subscription } = await follow(stream, 0)
      await appending
      await waitFor(() => received.length >= 2800, "2800 events")
      assert.deepEqual(seqs(received), range(1, 2800))
      await subscription.dispose()
    })

    it("fills a gap (a lost publish) from the log before the next live event", async () => {
      const stream = newId("prj")
      await bus.append(stream, events(2))
      const { received, subscription } = await follow(stream, 0)
      await waitFor(() => received.length >= 2, "the first two events")
      await fixture.log.append(stream, events(2))
      await bus.append(stream, events(1))
      await waitFor(() => received.length >= 5, "events 3 to 5")
      assert.deepEqual(seqs(received), range(1, 5))
      await subscription.dispose()
    })

    it("delivers a retried append once", async () => {
      const stream = newId("prj")
      const { received, subscription } = await follow(stream, 0)
      const [event] = events(1)
      const [first] = await bus.append(stream, [event!])
      const [again] = await bus.append(stream, [event!])
      assert.deepEqual(again, first)
      await bus.append(stream, events(1))
      await waitFor(() => received.length >= 2, "two events")
      assert.deepEqual(seqs(received), [1, 2])
      await subscription.dispose()
    })

    it("stops delivering to a disposed subscription and counts live ones", async () => {
      const stream = newId("prj")
      const gone = await follow(stream, 0)
      const kept = await follow(stream, 0)
      assert.equal(bus.subscriberCount, 2)
      await bus.append(stream, events(1))
      await waitFor(() => gone.received.length === 1 && kept.received.length === 1, "the first event")
      await gone.subscription.dispose()
      await gone.subscription.dispose()
      assert.equal(bus.subscriberCount, 1)
      await bus.append(stream, events(1))
      await waitFor(() => kept.received.length === 2, "the second event on the kept subscription")
      assert.equal(gone.received.length, 1)
      await kept.subscription.dispose()
      assert.equal(bus.subscriberCount, 0)
    })

    it("leaks nothing: disposed subscriptions hold no listener, channel or callback", async () => {
      const streams = Array.from({ length: 10 }, () => newId("prj"))
      const subscriptions = []
      for (let index = 0; index < 200; index++)
        subscriptions.push(await bus.subscribe(streams[index % 10]!, { onEvent: () => {} }))
      assert.equal(bus.subscriberCount, 200)
      assert.ok((await fixture.channelListeners(eventChannel(streams[0]!))) > 0)
      await Promise.all(subscriptions.map((subscription) => subscription.dispose()))
      assert.equal(bus.subscriberCount, 0)
      for (const stream of streams) assert.equal(await fixture.channelListeners(eventChannel(stream)), 0)

      const callback = await (async () => {
        const stream = streams[0]!
        const received: StoredEvent[] = []
        const onEvent = (event: StoredEvent) => received.push(event)
        const subscription = await bus.subscribe(stream, { onEvent })
        await bus.append(stream, events(1))
        await waitFor(() => received.length === 1, "one event")
        await subscription.dispose()
        return new WeakRef(onEvent)
      })()
      await expectCollected(callback, "a disposed subscriber's callback")
    })

    it("ends every subscription on close and refuses new ones", async () => {
      const stream = newId("prj")
      const { subscription } = await follow(stream, 0)
      assert.equal(subscription.stream, stream)
      await bus.close()
      assert.equal(bus.subscriberCount, 0)
      assert.equal(await fixture.channelListeners(eventChannel(stream)), 0)
      await assert.rejects(bus.subscribe(stream, { onEvent: () => {} }), { code: "SHUTTING_DOWN" })
    })

    if (options.multiNode)
      it("reaches a subscriber on another node, both ways", async () => {
        const peer = fixture.peer
        assert.ok(peer, "a multi-node fixture has a peer")
        const stream = newId("prj")
        const there = await follow(stream, 0, peer)
        const here = await follow(stream, 0)
        await bus.append(stream, events(2))
        await waitFor(() => there.received.length >= 2, "two events on the other node")
        await peer.append(stream, events(1))
        await waitFor(
          () => there.received.length >= 3 && here.received.length >= 3,
          "three events on both nodes",
        )
        assert.deepEqual(seqs(there.received), [1, 2, 3])
        assert.deepEqual(there.received, here.received)
        await there.subscription.dispose()
        await here.subscription.dispose()
      })
  })
}
