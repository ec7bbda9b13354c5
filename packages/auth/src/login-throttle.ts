import { AppError } from "@xionimus/kit"

export interface LoginThrottleOptions {
  /** Failures allowed before sign-in pauses (default 5). */
  freeFailures?: number
  /** The first pause; each further failure doubles it (default 30 s). */
  baseLockMs?: number
  /** The longest pause (default 15 minutes). */
  maxLockMs?: number
  /** Failures older than this are forgotten (default 15 minutes). */
  windowMs?: number
  clock?: () => number
}

/**
 * Counts failed sign-ins per key (an e-mail address, or an IP address). After `freeFailures` failures,
 * sign-in for the key pauses, doubling with each further failure up to `maxLockMs`. This one counts in
 * memory, per node; the server's Redis throttle shares the counters between nodes.
 */
export interface LoginThrottle {
  /** Raises ACCOUNT_LOCKED (details.retryAfterSeconds) while the key is paused. */
  check(key: string): void | Promise<void>
  failed(key: string): void | Promise<void>
  succeeded(key: string): void | Promise<void>
}

/** The ACCOUNT_LOCKED error for a pause ending in `retryAfterMs`. */
export function accountLocked(retryAfterMs: number): AppError {
  const retryAfterSeconds = Math.ceil(retryAfterMs / 1000)
  return new AppError(
    "ACCOUNT_LOCKED",
    `Too many failed sign-ins. Try again in ${retryAfterSeconds} seconds, or ask an administrator for a reset link.`,
    { retryAfterSeconds },
  )
}

/** The pause after the n-th failure (0 while failures are below `freeFailures`). */
export function lockMsAfter(
  failures: number,
  options: Required<Pick<LoginThrottleOptions, "freeFailures" | "baseLockMs" | "maxLockMs">>,
): number {
  if (failures < options.freeFailures) return 0
  return Math.min(options.maxLockMs, options.baseLockMs * 2 ** (failures - options.freeFailures))
}

export function createLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const freeFailures = options.freeFailures ?? 5
  const baseLockMs = options.baseLockMs ?? 30_000
  const maxLockMs = options.maxLockMs ?? 15 * 60_000
  const windowMs = options.windowMs ?? 15 * 60_000
  const clock = options.clock ?? Date.now
  const entries = new Map<string, { failures: number; last: number; lockedUntil: number }>()

  function current(key: string) {
    const entry = entries.get(key)
    if (entry && clock() - entry.last > windowMs && clock() >= entry.lockedUntil) {
      entries.delete(key)
      return undefined
    }
    return entry
  }

  return {
    check(key) {
      const entry = current(key)
      if (entry && clock() < entry.lockedUntil) throw accountLocked(entry.lockedUntil - clock())
    },
    failed(key) {
      const entry = current(key) ?? { failures: 0, last: 0, lockedUntil: 0 }
      entry.failures += 1
      entry.last = clock()
      const lockMs = lockMsAfter(entry.failures, { freeFailures, baseLockMs, maxLockMs })
      if (lockMs > 0) entry.lockedUntil = clock() + lockMs
      entries.set(key, entry)
      // Bounded memory under a spray of distinct keys: forget the oldest.
      if (entries.size > 100_000) entries.delete(entries.keys().next().value as string)
    },
    succeeded(key) {
      entries.delete(key)
    },
  }
}
