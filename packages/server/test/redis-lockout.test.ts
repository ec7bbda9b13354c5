// The sign-in lockout shared through Redis: two server nodes over one database see the same failures.
// Fails, never skips, when Redis is unreachable.
import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, test } from "node:test"
import { Config } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import { randomRedisPrefix, testRedisUrl } from "@xionimus/testing"
import { Redis } from "ioredis"
import { createRedisLoginThrottle } from "../src/auth/redis-login-throttle.ts"
import { createServices, type Services } from "../src/index.ts"

const meta = { ip: "203.0.113.9", userAgent: "test" }
const password = "a long enough passphrase"

describe("sign-in lockout through Redis", () => {
  let dir: string
  let nodes: Services[]
  const prefix = randomRedisPrefix()
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "xionimus-lockout-"))
    const config = Config.parse({ dataDir: dir, redisUrl: testRedisUrl(), log: { level: "silent" } })
    // Two nodes: one SQLite file, one Redis.
    nodes = [
      await createServices(config, silentLogger(), { redisPrefix: prefix }),
      await createServices(config, silentLogger(), { redisPrefix: prefix }),
    ]
    await nodes[0]!.auth.createUser(
      { email: "locked@example.test", password, admin: true },
      { userId: null, keyId: null, ...meta },
    )
  })
  after(async () => {
    for (const node of nodes) await node.close()
    await rm(dir, { recursive: true, force: true })
  })

  test("failures on one node lock the account on the other; a success clears it for both", async () => {
    const [first, second] = nodes as [Services, Services]
    const attempt = (node: Services, secret: string) =>
      node.auth.login({ email: "locked@example.test", password: secret }, meta)
    for (let failure = 0; failure < 4; failure++)
      await assert.rejects(attempt(failure % 2 === 0 ? first : second, "wrong guess"), {
        code: "AUTH_INVALID",
      })
    // The fourth failure still lets the right password through, on either node.
    await attempt(second, password)
    for (let failure = 0; failure < 5; failure++)
      await assert.rejects(attempt(first, "wrong guess"), { code: "AUTH_INVALID" })
    await assert.rejects(
      attempt(second, password),
      (error: { code: string; details: { retryAfterSeconds: number } }) => {
        assert.equal(error.code, "ACCOUNT_LOCKED")
        assert.ok(error.details.retryAfterSeconds > 0 && error.details.retryAfterSeconds <= 30)
        return true
      },
    )
  })

  test("the pause doubles with each further failure and the counter expires with the window", async () => {
    const redis = new Redis(testRedisUrl())
    try {
      let now = 1_000_000
      const throttle = createRedisLoginThrottle(redis, {
        prefix: `${prefix}unit:`,
        clock: () => now,
        windowMs: 60_000,
      })
      for (let failure = 0; failure < 5; failure++) await throttle.failed("k@example.test")
      await assert.rejects(Promise.resolve(throttle.check("K@example.test")), { code: "ACCOUNT_LOCKED" })
      await throttle.failed("k@example.test")
      const state = await redis.hgetall(`${prefix}unit:k@example.test`)
      assert.deepEqual(state, { failures: "6", lockedUntil: String(now + 60_000) })
      assert.ok((await redis.pttl(`${prefix}unit:k@example.test`)) > 59_000)
      now += 60_001
      await throttle.check("k@example.test")
      await throttle.succeeded("k@example.test")
      assert.equal(await redis.exists(`${prefix}unit:k@example.test`), 0)
    } finally {
      redis.disconnect()
    }
  })
})
