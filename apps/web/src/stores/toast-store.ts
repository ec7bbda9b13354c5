import { createStore, type Store } from "../lib/store.ts"

export interface Toast {
  id: number
  message: string
  tone: "info" | "success" | "error"
  /** The stable error code, shown beside an error's message. */
  code?: string
  action?: { label: string; run(): void }
}

export interface Toasts {
  state: Store<Toast[]>
  show(toast: Omit<Toast, "id">, options?: { durationMs?: number }): number
  dismiss(id: number): void
  dispose(): void
}

/** Short notices at the bottom of the screen; each goes away by itself after a few seconds. */
export function createToasts(): Toasts {
  const state = createStore<Toast[]>([])
  const timers = new Map<number, ReturnType<typeof setTimeout>>()
  let nextId = 1

  function dismiss(id: number): void {
    clearTimeout(timers.get(id))
    timers.delete(id)
    state.set((toasts) => toasts.filter((toast) => toast.id !== id))
  }

  return {
    state,
    show(toast, { durationMs = 5000 } = {}) {
      const id = nextId++
      // Keep at most three on screen; the oldest yields.
      state.set((toasts) => [...toasts.slice(-2), { ...toast, id }])
      timers.set(
        id,
        setTimeout(() => dismiss(id), durationMs),
      )
      return id
    },
    dismiss,
    dispose() {
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
    },
  }
}
