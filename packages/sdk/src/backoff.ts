export interface BackoffOptions {
  /** Delay before the first retry, in ms (default 250). */
  initialMs?: number
  /** Longest delay, in ms (default 10 000). */
  maxMs?: number
}

/**
 * Exponential backoff with jitter: attempt 0 waits about `initialMs`, each further attempt twice as
 * long up to `maxMs`. The jitter (50–100 %) keeps many clients from reconnecting in lockstep.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random = Math.random): number {
  const initialMs = options.initialMs ?? 250
  const maxMs = options.maxMs ?? 10_000
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30))
  return Math.round(base * (0.5 + random() * 0.5))
}
