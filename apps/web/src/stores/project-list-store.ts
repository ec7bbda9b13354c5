import type { Project } from "@xionimus/protocol"
import type { ApiError, Client } from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"
import { isAbort, toApiError } from "../lib/to-api-error.ts"

export interface ProjectListState {
  query: string
  items: Project[]
  nextCursor: string | null
  /** loading: the first page; more: a further page. */
  status: "idle" | "loading" | "more"
  /** Whether a first page has arrived for the current query. */
  loaded: boolean
  error: ApiError | null
}

export interface ProjectList {
  state: Store<ProjectListState>
  /** Loads the first page for a search (debounce typing in the caller). */
  load(query?: string): Promise<void>
  loadMore(): Promise<void>
  /** Puts a project in (new or restored) or replaces it (renamed), keeping the order by update time. */
  upsert(project: Project): void
  drop(projectId: string): void
  dispose(): void
}

const pageSize = 30

/** One paginated, searchable list of projects: the live ones or the trash (`deleted: "only"`). */
export function createProjectList(client: Client, deleted: "exclude" | "only"): ProjectList {
  const state = createStore<ProjectListState>({
    query: "",
    items: [],
    nextCursor: null,
    status: "idle",
    loaded: false,
    error: null,
  })
  let controller: AbortController | undefined

  async function fetchPage(query: string, cursor: string | undefined): Promise<void> {
    controller?.abort()
    const current = new AbortController()
    controller = current
    try {
      const page = await client.listProjects({
        deleted,
        q: query,
        cursor,
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
      state.patch({ status: "idle", error: toApiError(error) })
    }
  }

  return {
    state,
    load(query = state.get().query) {
      state.patch({
        query,
        status: "loading",
        error: null,
        ...(query !== state.get().query ? { loaded: false } : {}),
      })
      return fetchPage(query, undefined)
    },
    loadMore() {
      const { nextCursor, query, status } = state.get()
      if (!nextCursor || status !== "idle") return Promise.resolve()
      state.patch({ status: "more", error: null })
      return fetchPage(query, nextCursor)
    },
    upsert(project) {
      state.set((previous) => {
        const rest = previous.items.filter((item) => item.id !== project.id)
        const existing = previous.items.find((item) => item.id === project.id)
        if (existing)
          return {
            ...previous,
            items: previous.items.map((item) => (item.id === project.id ? project : item)),
          }
        return { ...previous, items: [project, ...rest] }
      })
    },
    drop(projectId) {
      state.set((previous) => ({
        ...previous,
        items: previous.items.filter((item) => item.id !== projectId),
      }))
    },
    dispose: () => controller?.abort(),
  }
}
