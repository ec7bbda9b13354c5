import assert from "node:assert/strict"
import { Writable } from "node:stream"
import { describe, it } from "node:test"
import { createEventBus, createInProcessPubSub, eventChannel, type PubSub } from "@xionimus/bus"
import { createLogger, newId } from "@xionimus/kit"
import type { NewEvent, StoredEvent } from "@xionimus/protocol"
import { waitFor } from "@xionimus/testing"
import { createMemoryEventLog } from "./memory-event-log.ts"

function events(count: number): NewEvent[] {
  return Array.from({ length: count }, () => ({ id: newId("evt"), type: "test.event.added", data: {} }))
}

function capturingLogger() {
  const lines: Record<string, unknown>[] = []
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)))
      done()
    },
  })
  return { logger: createLogger({ level: "debug", destination }), lines }
}

describe("event bus", () => {
  it("skips live copies of events it already delivered from the log", async () => {
    const memory = createMemoryEventLog()
    const pubsub = createInProcessPubSub()
    const bus = createEventBus({ log: memory.log, pubsub })
    const stream = newId("prj")
    const backlog = await memory.log.append(stream, events(3))
    const open = memory.holdReads()
    const received: StoredEvent[] = []
    const subscription = await bus.subscribe(stream, { onEvent: (event) => received.push(event) })
    assert.equal(subscription.head, 3)
    // Published late (after the head was read) while the log read is still running.
    await pubsub.publish(eventChannel(stream), JSON.stringify(backlog[2]))
    await bus.append(stream, events(2))
    open()
    await bus.append(stream, events(1))
    await waitFor(() => received.length >= 6, "six events")
    await bus.append(stream, events(1))
    await waitFor(() => received.length >= 7, "the seventh event")
    assert.deepEqual(
      received.map((event) => event.seq),
      [1, 2, 3, 4, 5, 6, 7],
    )
    await bus.close()
  })

  it("ends a subscription whose log fails and reports it to onError", async () => {
    const memory = createMemoryEventLog()
    const bus = createEventBus({ log: memory.log, pubsub: createInProcessPubSub() })
    const stream = newId("prj")
    await memory.log.append(stream, events(2))
    memory.failReads(new Error("log is down"))
    const errors: unknown[] = []
    await bus.subscribe(stream, { onEvent: () => {}, onError: (error) => errors.push(error) })
    await waitFor(() => errors.length === 1, "the error")
    assert.match(String(errors[0]), /log is down/)
    assert.equal(bus.subscriberCount, 0)
    await bus.close()
  })

  it("goes on delivering when a subscriber throws, and logs it", async () => {
    const { logger, lines } = capturingLogger()
    const bus = createEventBus({ log: createMemoryEventLog().log, pubsub: createInProcessPubSub(), logger })
    const stream = newId("prj")
    const seen: number[] = []
    await bus.subscribe(stream, {
      onEvent: (event) => {
        seen.push(event.seq)
        if (event.seq === 1) throw new Error("subscriber bug")
      },
    })
    await bus.append(stream, events(2))
    await waitFor(() => seen.length === 2, "both events")
    assert.ok(lines.some((line) => String(line.msg).includes("subscriber threw")))
    await bus.close()
  })

  it("resolves append once the events are stored even when publishing fails, and logs it", async () => {
    const { logger, lines } = capturingLogger()
    const inner = createInProcessPubSub()
    const failing: PubSub = { ...inner, publish: async () => Promise.reject(new Error("redis is down")) }
    const memory = createMemoryEventLog()
    const bus = createEventBus({ log: memory.log, pubsub: failing, logger })
    const stream = newId("prj")
    const stored = await bus.append(stream, events(2))
    assert.deepEqual(
      stored.map((event) => event.seq),
      [1, 2],
    )
    assert.equal(await memory.log.head(stream), 2)
    assert.ok(lines.some((line) => line.level === 50 && String(line.msg).includes("could not be published")))
    await bus.close()
  })

  it("ignores a malformed live message and lets the log fill in", async () => {
    const pubsub = createInProcessPubSub()
    const bus = createEventBus({ log: createMemoryEventLog().log, pubsub })
    const stream = newId("prj")
    const received: StoredEvent[] = []
    await bus.subscribe(stream, { onEvent: (event) => received.push(event) })
    await pubsub.publish(eventChannel(stream), "{not json")
    await pubsub.publish(eventChannel(stream), JSON.stringify({ seq: 1 }))
    await bus.append(stream, events(1))
    await waitFor(() => received.length === 1, "the real event")
    assert.equal(received[0]?.seq, 1)
    await bus.close()
  })
})
