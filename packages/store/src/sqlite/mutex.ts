/** A first-come, first-served lock for the one SQLite connection. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve()

  /** Resolves once the caller holds the lock, with the function that releases it. */
  lock(): Promise<() => void> {
    let release: () => void = () => {}
    const released = new Promise<void>((resolve) => {
      release = resolve
    })
    const acquired = this.#tail.then(() => release)
    this.#tail = this.#tail.then(() => released)
    return acquired
  }
}
