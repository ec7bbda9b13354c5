import { createStore, type Store } from "../lib/store.ts"

/**
 * The model new sessions start with, chosen in Settings. The server keeps no per-user default yet
 * (only `models.default` of its configuration), so the choice is kept in this browser and sent as the
 * model of each session created here; null leaves the choice to the server.
 */
export interface DefaultModel {
  value: Store<string | null>
  set(model: string | null): void
}

const key = "xionimus.defaultModel"

export function createDefaultModel(storage: Storage | undefined): DefaultModel {
  let stored: string | null = null
  try {
    stored = storage?.getItem(key) ?? null
  } catch {
    // Storage refused (private mode): no stored choice.
  }
  const value = createStore<string | null>(stored || null)
  return {
    value,
    set(model) {
      value.set(model)
      try {
        if (model) storage?.setItem(key, model)
        else storage?.removeItem(key)
      } catch {
        // The choice holds for this visit only.
      }
    },
  }
}
