import { useSyncExternalStore } from "react"

/** A tiny observable value: state lives here, outside components, and components subscribe to it. */
export interface Store<T> {
  get(): T
  set(next: T | ((previous: T) => T)): void
  /** Merges a partial object into an object state. */
  patch(partial: Partial<T>): void
  subscribe(listener: () => void): () => void
}

export function createStore<T>(initial: T): Store<T> {
  let state = initial
  const listeners = new Set<() => void>()
  const store: Store<T> = {
    get: () => state,
    set(next) {
      const value = typeof next === "function" ? (next as (previous: T) => T)(state) : next
      if (Object.is(value, state)) return
      state = value
      for (const listener of [...listeners]) listener()
    },
    patch(partial) {
      store.set((previous) => ({ ...previous, ...partial }))
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => {
        listeners.delete(listener)
      }
    },
  }
  return store
}

/** Reads a store in a component; `select` must return a value already in the state (no new objects). */
export function useStore<T>(store: Store<T>): T
export function useStore<T, S>(store: Store<T>, select: (state: T) => S): S
export function useStore<T, S>(store: Store<T>, select?: (state: T) => S): T | S {
  const read = () => (select ? select(store.get()) : store.get())
  return useSyncExternalStore(store.subscribe, read, read)
}
