/** Releases a resource. Calling it twice is harmless. */
export type Disposer = () => void | Promise<void>

/** Collects disposers and releases them in reverse order, once. */
export class DisposerStack {
  readonly #items: Disposer[] = []
  #disposed = false

  add(disposer: Disposer): void {
    if (this.#disposed) void disposer()
    else this.#items.push(disposer)
  }

  get disposed(): boolean {
    return this.#disposed
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return
    this.#disposed = true
    const errors: unknown[] = []
    for (const item of this.#items.reverse()) {
      try {
        await item()
      } catch (error) {
        errors.push(error)
      }
    }
    this.#items.length = 0
    if (errors.length === 1) throw errors[0]
    if (errors.length > 1) throw new AggregateError(errors, "several disposers failed")
  }
}

/** Wraps a disposer so that only its first call does anything. */
export function once(disposer: Disposer): Disposer {
  let done = false
  return () => {
    if (done) return
    done = true
    return disposer()
  }
}
