import { ProjectSessionChange, type Session } from "@xionimus/protocol"
import type { ApiError, Client, SessionsClient, StreamClient, UpdateSessionInput } from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"
import { isAbort, toApiError } from "../lib/to-api-error.ts"

export interface SessionListState {
  query: string
  /** Shows the archive instead of the live sessions. */
  archived: boolean
  /** Shows only the sessions with this tag. */
  tag: string | null
  items: Session[]
  nextCursor: string | null
  status: "idle" | "loading" | "more"
  loaded: boolean
  error: ApiError | null
}

export interface SessionList {
  state: Store<SessionListState>
  /** Loads the first page for a search and archive choice (debounce typing in the caller). */
  load(options?: { query?: string; archived?: boolean; tag?: string | null }): Promise<void>
  loadMore(): Promise<void>
  create(): Promise<Session | undefined>
  update(sessionId: string, input: UpdateSessionInput): Promise<Session | undefined>
  /** Reads one session again (its title or run state changed) and puts it in place. */
  refresh(sessionId: string): Promise<void>
  /** A change announced on the project's stream (by anyone: another tab, user or `xionimus run`). */
  changed(change: ProjectSessionChange): Promise<void>
  importJson(document: unknown): Promise<Session | undefined>
  upsert(session: Session): void
  dispose(): void
}

/** Pinned first, then the most recently updated: the order the server lists them in. */
export function sortSessions(items: readonly Session[]): Session[] {
  return [...items].sort(
    (a, b) => Number(b.pinned) - Number(a.pinned) || b.updatedAt.localeCompare(a.updatedAt),
  )
}

/** Puts a session into a list (or replaces it); one that no longer belongs to the view leaves it. */
export function placeSession(
  items: readonly Session[],
  session: Session,
  archived: boolean,
  tag: string | null = null,
): Session[] {
  const rest = items.filter((item) => item.id !== session.id)
  const belongs = session.archived === archived && (tag === null || session.tags.includes(tag))
  return belongs ? sortSessions([session, ...rest]) : rest
}

/** Tags typed as "a, b c": trimmed, without empties and duplicates (the server validates each). */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(",")
        .map((tag) => tag.trim().replace(/\s+/g, " "))
        .filter(Boolean),
    ),
  ]
}

/**
 * The paginated, searchable list of a project's sessions in the sidebar. `startModel` names the model a
 * new session starts with (the default chosen in Settings), or null for the server's default.
 */
export function createSessionList(
  sessions: SessionsClient,
  projectId: string,
  pageSize = 30,
  startModel: () => string | null = () => null,
): SessionList {
  const state = createStore<SessionListState>({
    query: "",
    archived: false,
    tag: null,
    items: [],
    nextCursor: null,
    status: "idle",
    loaded: false,
    error: null,
  })
  let controller: AbortController | undefined

  async function fetchPage(cursor: string | undefined): Promise<void> {
    controller?.abort()
    const current = new AbortController()
    controller = current
    const { query, archived, tag } = state.get()
    try {
      const page = await sessions.list(projectId, {
        q: query,
        archived,
        ...(tag ? { tag } : {}),
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

  async function attempt<T>(action: () => Promise<T>): Promise<T | undefined> {
    try {
      return await action()
    } catch (error) {
      state.patch({ error: toApiError(error) })
      return undefined
    }
  }

  function upsert(session: Session): void {
    state.set((previous) => ({
      ...previous,
      items: placeSession(previous.items, session, previous.archived, previous.tag),
    }))
  }

  return {
    state,
    load({ query = state.get().query, archived = state.get().archived, tag = state.get().tag } = {}) {
      const previous = state.get()
      const changed = query !== previous.query || archived !== previous.archived || tag !== previous.tag
      state.patch({
        query,
        archived,
        tag,
        status: "loading",
        error: null,
        ...(changed ? { loaded: false } : {}),
      })
      return fetchPage(undefined)
    },
    loadMore() {
      const { nextCursor, status } = state.get()
      if (!nextCursor || status !== "idle") return Promise.resolve()
      state.patch({ status: "more", error: null })
      return fetchPage(nextCursor)
    },
    async create() {
      const model = startModel()
      const created = await attempt(() => sessions.create(projectId, model ? { model } : {}))
      if (created) upsert(created)
      return created
    },
    async update(sessionId, input) {
      const updated = await attempt(() => sessions.update(sessionId, input))
      if (updated) upsert(updated)
      return updated
    },
    async refresh(sessionId) {
      const found = await sessions.get(sessionId).catch(() => undefined)
      if (found) upsert(found)
    },
    async changed({ sessionId, change }) {
      if (change === "removed") {
        state.patch({ items: state.get().items.filter((item) => item.id !== sessionId) })
        return
      }
      // A search shows what matched when it ran; only sessions already in it are kept up to date.
      const { query, items } = state.get()
      if (query && !items.some((item) => item.id === sessionId)) return
      const found = await sessions.get(sessionId).catch(() => undefined)
      if (found) upsert(found)
    },
    async importJson(document) {
      const imported = await attempt(() => sessions.importJson(projectId, document))
      if (imported) upsert(imported)
      return imported
    },
    upsert,
    dispose: () => controller?.abort(),
  }
}

/**
 * Feeds the project's `session.*` announcements into the list, from the stream's current head on.
 * Returns the unsubscribe (for a React effect's cleanup).
 */
export function followSessionChanges(deps: {
  client: Pick<Client, "events">
  streams: Pick<StreamClient, "subscribe">
  projectId: string
  list: Pick<SessionList, "changed">
}): () => void {
  const controller = new AbortController()
  let unsubscribe: (() => void) | undefined
  deps.client
    .events(deps.projectId, { after: 0, limit: 1, signal: controller.signal })
    .then(({ head }) => {
      if (controller.signal.aborted) return
      unsubscribe = deps.streams.subscribe(deps.projectId, {
        after: head,
        onEvent(event) {
          if (!event.type.startsWith("session.")) return
          const change = ProjectSessionChange.safeParse(event.data)
          if (change.success) void deps.list.changed(change.data)
        },
      })
    })
    .catch(() => {
      // Without live updates the list still works; reopening the project tries again.
    })
  return () => {
    controller.abort()
    unsubscribe?.()
  }
}
