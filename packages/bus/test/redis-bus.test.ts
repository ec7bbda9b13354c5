import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { createEventBus, createRedisPubSub, eventChannel } from "@xionimus/bus"
import { newId } from "@xionimus/kit"
import type { StoredEvent } from "@xionimus/protocol"
import { openStore, type Store } from "@xionimus/store"
import {
  createTestSchema,
  eventBusContract,
  pubSubContract,
  randomRedisPrefix,
  redisSubscriberCount,
  testRedisUrl,
  waitFor,
} from "@xionimus/testing"
import { Redis } from "ioredis"

// Fails (never skips) when Redis or PostgreSQL is unreachable.
const url = testRedisUrl()
const prefix = randomRedisPrefix()
const schema = createTestSchema()
let store: Store
before(async () => {
  store = await openStore({ databaseUrl: schema.url, schema: schema.schema })
})
after(async () => {
  await store?.close()
  await schema.drop()
})

/** Runs `check`; when it fails, closes `resource` first, so that no reconnecting client keeps the run alive. */
async function checked(resource: { close(): Promise<void> }, check: () => Promise<unknown>): Promise<void> {
  try {
    await check()
  } catch (error) {
    await resource.close()
    throw error
  }
}

pubSubContract("Redis", async () => {
  const pubsub = createRedisPubSub({ url, prefix })
  await checked(pubsub, () => pubsub.ping())
  return {
    pubsub,
    channelListeners: (channel) => redisSubscriberCount(prefix + channel, url),
    close: () => pubsub.close(),
  }
})

eventBusContract(
  "Redis, two nodes over one PostgreSQL log",
  async () => {
    const bus = createEventBus({ log: store.events, pubsub: createRedisPubSub({ url, prefix }) })
    const peer = createEventBus({ log: store.events, pubsub: createRedisPubSub({ url, prefix }) })
    const close = async () => {
      await Promise.all([bus.close(), peer.close()])
    }
    await checked({ close }, () => Promise.all([bus.ping(), peer.ping()]))
    return {
      bus,
      peer,
      log: store.events,
      channelListeners: (channel) => redisSubscriberCount(prefix + channel, url),
      close,
    }
  },
  { multiNode: true },
)

describe("Redis pub/sub specifics", () => {
  it("holds one Redis subscription per channel however many listeners it has", async () => {
    const pubsub = createRedisPubSub({ url, prefix })
    try {
      const channel = eventChannel("prj_refcount")
      const disposers = await Promise.all(
        Array.from({ length: 50 }, () => pubsub.subscribe(channel, () => {})),
      )
      assert.equal(await redisSubscriberCount(prefix + channel, url), 1)
      await Promise.all(disposers.slice(1).map((dispose) => dispose()))
      assert.equal(await redisSubscriberCount(prefix + channel, url), 1)
      await disposers[0]!()
      assert.equal(await redisSubscriberCount(prefix + channel, url), 0)
    } finally {
      await pubsub.close()
    }
  })

  it("keeps installations with different prefixes apart", async () => {
    const ours = createRedisPubSub({ url, prefix })
    const theirs = createRedisPubSub({ url, prefix: randomRedisPrefix() })
    try {
      const heardByThem: string[] = []
      const heardByUs: string[] = []
      const stopThem = await theirs.subscribe("shared", (payload) => heardByThem.push(payload))
      const stopUs = await ours.subscribe("shared", (payload) => heardByUs.push(payload))
      await ours.publish("shared", "ours")
      await theirs.publish("shared", "theirs")
      await waitFor(() => heardByUs.length === 1 && heardByThem.length === 1, "one message each")
      assert.deepEqual(heardByUs, ["ours"])
      assert.deepEqual(heardByThem, ["theirs"])
      await stopThem()
      await stopUs()
    } finally {
      await Promise.all([ours.close(), theirs.close()])
    }
  })

  it("catches up from the log when its Redis connection comes back", async () => {
    const ownPrefix = randomRedisPrefix()
    const bus = createEventBus({ log: store.events, pubsub: createRedisPubSub({ url, prefix: ownPrefix }) })
    const admin = new Redis(url)
    try {
      const stream = newId("prj")
      const received: StoredEvent[] = []
      await bus.subscribe(stream, { onEvent: (event) => received.push(event) })
      await bus.append(stream, [{ id: newId("evt"), type: "test.event.added", data: {} }])
      await waitFor(() => received.length === 1, "the first event")
      // Stored while the connection is down, never published: only the reconnect can bring it.
      await store.events.append(stream, [{ id: newId("evt"), type: "test.event.added", data: {} }])
      const clients = String(await admin.client("LIST")).split("\n")
      const line = clients.find((client) => client.includes(`name=${ownPrefix}subscriber`))
      const id = /\bid=(\d+)/.exec(line ?? "")?.[1]
      assert.ok(id, "the subscriber connection is in CLIENT LIST")
      await admin.client("KILL", "ID", id)
      await waitFor(() => received.length === 2, "the event stored during the outage")
      assert.deepEqual(
        received.map((event) => event.seq),
        [1, 2],
      )
    } finally {
      admin.disconnect()
      await bus.close()
    }
  })

  it("raises BUS_UNREACHABLE when Redis does not answer", async () => {
    const pubsub = createRedisPubSub({ url: "redis://127.0.0.1:1", prefix })
    try {
      await assert.rejects(pubsub.ping(), { code: "BUS_UNREACHABLE" })
      await assert.rejects(pubsub.publish("x", "y"), { code: "BUS_UNREACHABLE" })
    } finally {
      await pubsub.close()
    }
  })
})
