import type { AuditEntry, User } from "@xionimus/protocol"
import type { AccountClient, ApiError, AuditFilter } from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"
import { isAbort, toApiError } from "../lib/to-api-error.ts"

export interface AuditState {
  filter: AuditFilter
  items: AuditEntry[]
  nextCursor: string | null
  /** loading: the first page; more: a further page. */
  status: "idle" | "loading" | "more"
  loaded: boolean
  error: ApiError | null
  /** The instance's users, to name actors and to offer them as a filter. */
  users: User[]
}

export interface AuditLog {
  state: Store<AuditState>
  /** Loads the first page for a filter (the current one when omitted). */
  load(filter?: AuditFilter): Promise<void>
  loadMore(): Promise<void>
  /** Where the whole filtered log downloads as NDJSON. */
  exportUrl(): string
  dispose(): void
}

export const auditPageSize = 50

/** The audit log viewer's state: filtered pages, newest first, with "load more" by cursor. */
export function createAuditLog(account: AccountClient, pageSize = auditPageSize): AuditLog {
  const state = createStore<AuditState>({
    filter: {},
    items: [],
    nextCursor: null,
    status: "idle",
    loaded: false,
    error: null,
    users: [],
  })
  let controller: AbortController | undefined
  let usersLoaded = false

  async function fetchPage(cursor: string | undefined): Promise<void> {
    controller?.abort()
    const current = new AbortController()
    controller = current
    try {
      if (!usersLoaded) {
        state.patch({ users: await account.users({ signal: current.signal }) })
        usersLoaded = true
      }
      const page = await account.audit({
        ...state.get().filter,
        ...(cursor ? { cursor } : {}),
        limit: pageSize,
        signal: current.signal,
      })
      state.set((previous) => ({
        ...previous,
        items: cursor ? [...previous.items, ...page.items] : page.items,
        nextCursor: page.nextCursor,
        status: "idle",
        loaded: true,
        error: null,
      }))
    } catch (error) {
      if (isAbort(error)) return
      state.patch({ status: "idle", loaded: true, error: toApiError(error) })
    }
  }

  return {
    state,
    load(filter = state.get().filter) {
      const clean: AuditFilter = {}
      if (filter.action?.trim()) clean.action = filter.action.trim()
      if (filter.actor) clean.actor = filter.actor
      if (filter.target?.trim()) clean.target = filter.target.trim()
      if (filter.from) clean.from = filter.from
      if (filter.to) clean.to = filter.to
      state.patch({ filter: clean, status: "loading", error: null })
      return fetchPage(undefined)
    },
    loadMore() {
      const { nextCursor, status } = state.get()
      if (!nextCursor || status !== "idle") return Promise.resolve()
      state.patch({ status: "more", error: null })
      return fetchPage(nextCursor)
    },
    exportUrl: () => account.auditExportUrl(state.get().filter),
    dispose: () => controller?.abort(),
  }
}
