import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import { createEventBus, createRedisPubSub, eventChannel } from "@xionimus/bus"
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

pubSubContract("Redis", async () => {
  const pubsub = createRedisPubSub({ url, prefix })
  await pubsub.ping()
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
    await Promise.all([bus.ping(), peer.ping()])
    return {
      bus,
      peer,
      log: store.events,
      channelListeners: (channel) => redisSubscriberCount(prefix + channel, url),
      close: async () => {
        await Promise.all([bus.close(), peer.close()])
      },
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
