import { setTimeout as sleep } from "node:timers/promises"

/**
 * Waits until `condition` holds, checking every few milliseconds; fails with `what` after
 * `timeoutMs`. For asynchronous delivery only: it asserts an outcome, never a duration.
 */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(2)
  }
}
