import type { ModelInfo } from "@xionimus/protocol"
import type { SessionsClient } from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"

export interface Models {
  /** The models the user can pick; null until loaded (or when loading failed). */
  list: Store<ModelInfo[] | null>
  /** The configuration's default model (what a session without its own uses); null until loaded or when none. */
  fallback: Store<string | null>
  /** Loads the list once; later calls reuse it. */
  load(): void
}

export function createModels(sessions: SessionsClient): Models {
  const list = createStore<ModelInfo[] | null>(null)
  const fallback = createStore<string | null>(null)
  let loading = false
  return {
    list,
    fallback,
    load() {
      if (loading || list.get()) return
      loading = true
      sessions.models().then(
        (answer) => {
          fallback.set(answer.default ?? null)
          list.set(answer.models)
        },
        () => {
          // Without the list the picker offers the default model only; the next open tries again.
          loading = false
        },
      )
    },
  }
}
