import { randomBytes } from "node:crypto"
import { Redis } from "ioredis"

/** Redis for tests: XIONIMUS_TEST_REDIS_URL, else the local server. */
export function testRedisUrl(): string {
  return process.env.XIONIMUS_TEST_REDIS_URL ?? "redis://127.0.0.1:6379"
}

/** A channel prefix of its own for one test run (`xt_<random>:`). */
export function randomRedisPrefix(): string {
  return `xt_${randomBytes(6).toString("hex")}:`
}

/** PUBSUB NUMSUB: how many connections are subscribed to `channel` (the full, prefixed name). */
export async function redisSubscriberCount(channel: string, url = testRedisUrl()): Promise<number> {
  const client = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
    const reply = (await client.pubsub("NUMSUB", channel)) as [string, number]
    return Number(reply[1])
  } finally {
    client.disconnect()
  }
}
