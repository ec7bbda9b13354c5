import assert from "node:assert/strict"
import { test } from "node:test"
import { isAppError } from "@xionimus/kit"
import { createLoginThrottle } from "../src/index.ts"

test("the throttle pauses a key after its free failures, doubles the pause, forgets on success", () => {
  let now = 1_000_000
  const throttle = createLoginThrottle({
    freeFailures: 3,
    baseLockMs: 10_000,
    maxLockMs: 25_000,
    clock: () => now,
  })
  const lockedFor = (key: string): number | undefined => {
    try {
      throttle.check(key)
      return undefined
    } catch (error) {
      assert.ok(isAppError(error) && error.code === "ACCOUNT_LOCKED")
      return (error.details as { retryAfterSeconds: number }).retryAfterSeconds
    }
  }
  throttle.failed("a")
  throttle.failed("a")
  assert.equal(lockedFor("a"), undefined)
  throttle.failed("a")
  assert.equal(lockedFor("a"), 10)
  assert.equal(lockedFor("b"), undefined, "keys count apart")
  now += 10_000
  assert.equal(lockedFor("a"), undefined)
  throttle.failed("a")
  assert.equal(lockedFor("a"), 20)
  now += 20_000
  throttle.failed("a")
  assert.equal(lockedFor("a"), 25, "capped at maxLockMs")
  now += 25_000
  throttle.succeeded("a")
  throttle.failed("a")
  assert.equal(lockedFor("a"), undefined, "success starts the count again")
})

test("failures older than the window are forgotten", () => {
  let now = 0
  const throttle = createLoginThrottle({ freeFailures: 2, windowMs: 1000, clock: () => now })
  throttle.failed("a")
  now += 5000
  throttle.failed("a")
  assert.doesNotThrow(() => throttle.check("a"))
})
