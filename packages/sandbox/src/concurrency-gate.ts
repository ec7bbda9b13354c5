import { AppError } from "@xionimus/kit"

/** A counting semaphore with a FIFO queue: at most `limit` holders; the rest wait in order. */
export interface ConcurrencyGate {
  /** Resolves with a release function once a place is free; rejects when `signal` aborts while waiting. */
  acquire(signal?: AbortSignal): Promise<() => void>
  stats(): { running: number; queued: number }
  /** Rejects every waiter with SANDBOX_CLOSED. */
  close(): void
}

export function createConcurrencyGate(limit: number, maxQueued = Number.POSITIVE_INFINITY): ConcurrencyGate {
  let running = 0
  const waiters: { grant: () => void; fail: (error: unknown) => void }[] = []

  function release(): void {
    running -= 1
    const next = waiters.shift()
    if (next) next.grant()
  }

  function grantOnce(): () => void {
    running += 1
    let released = false
    return () => {
      if (released) return
      released = true
      release()
    }
  }

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason)
      if (running < limit) return Promise.resolve(grantOnce())
      if (waiters.length >= maxQueued) {
        return Promise.reject(
          new AppError("SANDBOX_BUSY", "Too many runs are waiting for a sandbox. Try again in a moment.", {
            running,
            queued: waiters.length,
          }),
        )
      }
      return new Promise((resolve, reject) => {
        const waiter = {
          grant: () => {
            signal?.removeEventListener("abort", onAbort)
            resolve(grantOnce())
          },
          fail: reject,
        }
        const onAbort = () => {
          const index = waiters.indexOf(waiter)
          if (index >= 0) waiters.splice(index, 1)
          reject(signal?.reason)
        }
        signal?.addEventListener("abort", onAbort, { once: true })
        waiters.push(waiter)
      })
    },
    stats: () => ({ running, queued: waiters.length }),
    close() {
      for (const waiter of waiters.splice(0)) {
        waiter.fail(new AppError("SANDBOX_CLOSED", "The sandbox provider was shut down."))
      }
    },
  }
}
