import { accountLocked, type LoginThrottle, type LoginThrottleOptions } from "@xionimus/auth"
import type { Logger } from "@xionimus/kit"
import { Redis } from "ioredis"

// One failure, atomically: count it, set the pause once past the free failures (the schedule of
// lockMsAfter in @xionimus/auth), and keep the counter for the window (or until the pause ends).
const failScript = `
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local now = tonumber(ARGV[1])
local lockMs = 0
if failures >= tonumber(ARGV[2]) then
  lockMs = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ (failures - tonumber(ARGV[2])))
  redis.call('HSET', KEYS[1], 'lockedUntil', now + lockMs)
end
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[5]), lockMs))
return failures
`

/**
 * The sign-in lockout with its counters in Redis, so that every node sees the same failures (same rules
 * as createLoginThrottle). A Redis that cannot be reached lets sign-in through (like the rate limits):
 * argon2 still makes each guess slow.
 */
export function createRedisLoginThrottle(
  redis: Redis,
  options: LoginThrottleOptions & { prefix: string; onError?: (error: unknown) => void },
): LoginThrottle {
  const settings = {
    freeFailures: options.freeFailures ?? 5,
    baseLockMs: options.baseLockMs ?? 30_000,
    maxLockMs: options.maxLockMs ?? 15 * 60_000,
  }
  const windowMs = options.windowMs ?? 15 * 60_000
  const clock = options.clock ?? Date.now
  const keyOf = (key: string) => `${options.prefix}${key.toLowerCase()}`
  const quietly = async (work: () => Promise<unknown>) => {
    try {
      await work()
    } catch (error) {
      options.onError?.(error)
    }
  }
  return {
    async check(key) {
      let lockedUntil: string | null = null
      await quietly(async () => {
        lockedUntil = await redis.hget(keyOf(key), "lockedUntil")
      })
      const until = Number(lockedUntil ?? 0)
      if (clock() < until) throw accountLocked(until - clock())
    },
    async failed(key) {
      await quietly(() =>
        redis.eval(
          failScript,
          1,
          keyOf(key),
          clock(),
          settings.freeFailures,
          settings.baseLockMs,
          settings.maxLockMs,
          windowMs,
        ),
      )
    },
    async succeeded(key) {
      await quietly(() => redis.del(keyOf(key)))
    },
  }
}

/** The two lockouts of sign-in (per e-mail: 5 free failures; per IP address: 50) over one Redis connection. */
export function createRedisLockout(
  url: string,
  prefix: string,
  logger: Logger,
): { byEmail: LoginThrottle; byAddress: LoginThrottle; close(): Promise<void> } {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 })
  const onError = (error: unknown) => logger.warn({ err: error }, "sign-in lockout counters unavailable")
  redis.on("error", onError)
  return {
    byEmail: createRedisLoginThrottle(redis, { prefix: `${prefix}lockout:email:`, onError }),
    byAddress: createRedisLoginThrottle(redis, { prefix: `${prefix}lockout:ip:`, freeFailures: 50, onError }),
    async close() {
      redis.disconnect()
    },
  }
}
