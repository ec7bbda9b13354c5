/**
 * In-process mutual exclusion per key (an absolute path). It serialises the check-then-rename of
 * writes in this process, so two writers holding the same expected version cannot both win.
 * Several keys are taken in sorted order so that two callers never wait on each other.
 */
export interface KeyedLock {
  run<T>(keys: readonly string[], action: () => Promise<T>): Promise<T>
}

export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<void>>()

  async function acquire(key: string): Promise<() => void> {
    const previous = tails.get(key) ?? Promise.resolve()
    let release!: () => void
    const current = new Promise<void>((resolve) => {
      release = resolve
    })
    const tail = previous.then(() => current)
    tails.set(key, tail)
    await previous
    return () => {
      release()
      // The last holder removes the key so the map does not grow with every path ever written.
      if (tails.get(key) === tail) tails.delete(key)
    }
  }

  return {
    async run(keys, action) {
      const unique = [...new Set(keys)].sort()
      const releases: (() => void)[] = []
      try {
        for (const key of unique) releases.push(await acquire(key))
        return await action()
      } finally {
        for (const release of releases.reverse()) release()
      }
    },
  }
}
