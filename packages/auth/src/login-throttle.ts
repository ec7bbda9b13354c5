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
 * Counts failed sign-ins per key (an e-mail address, or an IP address) in memory. After `freeFailures`
 * failures, sign-in for the key pauses, doubling with each further failure up to `maxLockMs`.
 * Each node counts on its own: a lockout is a brake on guessing, not an exact quota.
 */
export interface LoginThrottle {
  /** Raises ACCOUNT_LOCKED (details.retryAfterSeconds) while the key is paused. */
  check(key: string): void
  failed(key: string): void
  succeeded(key: string): void
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
      if (entry && clock() < entry.lockedUntil) {
        const retryAfterSeconds = Math.ceil((entry.lockedUntil - clock()) / 1000)
        throw new AppError(
          "ACCOUNT_LOCKED",
          `Too many failed sign-ins. Try again in ${retryAfterSeconds} seconds, or ask an administrator for a reset link.`,
          { retryAfterSeconds },
        )
      }
    },
    failed(key) {
      const entry = current(key) ?? { failures: 0, last: 0, lockedUntil: 0 }
      entry.failures += 1
      entry.last = clock()
      if (entry.failures >= freeFailures) {
        const lockMs = Math.min(maxLockMs, baseLockMs * 2 ** (entry.failures - freeFailures))
        entry.lockedUntil = clock() + lockMs
      }
      entries.set(key, entry)
      // Bounded memory under a spray of distinct keys: forget the oldest.
      if (entries.size > 100_000) entries.delete(entries.keys().next().value as string)
    },
    succeeded(key) {
      entries.delete(key)
    },
  }
}
