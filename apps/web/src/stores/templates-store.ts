import type { Template } from "@xionimus/protocol"
import type { ApiError, Client } from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"
import { toApiError } from "../lib/to-api-error.ts"

export interface TemplatesState {
  items: Template[]
  loaded: boolean
  error: ApiError | null
}

export interface Templates {
  state: Store<TemplatesState>
  /** Loads the list once; later calls reuse it unless the first failed. */
  load(): Promise<void>
}

export function createTemplates(client: Client): Templates {
  const state = createStore<TemplatesState>({ items: [], loaded: false, error: null })
  let pending: Promise<void> | undefined
  return {
    state,
    load() {
      if (state.get().loaded) return Promise.resolve()
      pending ??= client
        .templates()
        .then((items) => state.set({ items, loaded: true, error: null }))
        .catch((error: unknown) => {
          pending = undefined
          state.patch({ error: toApiError(error) })
        })
      return pending
    },
  }
}
