import { FileChangedData, ProjectSessionChange, type StoredEvent } from "@xionimus/protocol"
import type { ApiError, Client, SessionsClient, StreamClient } from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"
import { toApiError } from "../lib/to-api-error.ts"

export interface ActivityState {
  /** Newest first, each seq once. */
  items: StoredEvent[]
  loading: boolean
  /** Older events exist on the server that are not loaded yet. */
  hasOlder: boolean
  error: ApiError | null
}

/** The project's activity stream as a feed: the latest page, older pages on request, new events live. */
export interface ActivityFeed {
  state: Store<ActivityState>
  /** Titles of the sessions the feed mentions, looked up once each (a removed session has none). */
  titles: Store<Record<string, string>>
  loadOlder(): Promise<void>
  /** Loads the latest page again (after an error). */
  retry(): Promise<void>
  dispose(): void
}

export interface ActivityFeedDeps {
  client: Pick<Client, "events">
  streams: Pick<StreamClient, "subscribe">
  /** For the titles of sessions named in the feed; without it items say "session" only. */
  sessions?: Pick<SessionsClient, "get">
  projectId: string
  pageSize?: number
  /** At most this many events are kept; the oldest go first (they can be loaded again). */
  keep?: number
}

export function createActivityFeed(deps: ActivityFeedDeps): ActivityFeed {
  const { client, streams, projectId } = deps
  const pageSize = deps.pageSize ?? 50
  const keep = deps.keep ?? 500
  const state = createStore<ActivityState>({ items: [], loading: true, hasOlder: false, error: null })
  const titles = createStore<Record<string, string>>({})
  const controller = new AbortController()
  let unsubscribe: (() => void) | undefined
  const asked = new Set<string>()

  /** Looks up the title of each session not seen before; a live session.changed may have renamed it. */
  const lookUpTitles = (events: StoredEvent[], live: boolean) => {
    if (!deps.sessions) return
    for (const event of events) {
      const data = ProjectSessionChange.safeParse(event.data)
      if (!event.type.startsWith("session.") || !data.success) continue
      const { sessionId, change } = data.data
      if (change === "removed" || (asked.has(sessionId) && !(live && change === "changed"))) continue
      asked.add(sessionId)
      deps.sessions
        .get(sessionId, { signal: controller.signal })
        .then((session) => {
          if (session.title) titles.set((previous) => ({ ...previous, [sessionId]: session.title }))
        })
        .catch(() => {
          // Gone or not readable: the item says "session" without a title.
        })
    }
  }

  /** Merges events into the feed: newest first, no seq twice, at most `keep`. */
  const merge = (events: StoredEvent[], live = false) => {
    lookUpTitles(events, live)
    state.set((previous) => {
      const bySeq = new Map(previous.items.map((event) => [event.seq, event]))
      for (const event of events) bySeq.set(event.seq, event)
      const items = [...bySeq.values()].sort((a, b) => b.seq - a.seq)
      const kept = items.slice(0, keep)
      return { ...previous, items: kept, hasOlder: (kept.at(-1)?.seq ?? 1) > 1 }
    })
  }

  /** The page of (at most) `pageSize` events that ends right before `before` (exclusive). */
  const pageBefore = async (before: number) => {
    const after = Math.max(0, before - 1 - pageSize)
    const limit = Math.min(pageSize, before - 1 - after)
    if (limit < 1) return []
    return (await client.events(projectId, { after, limit, signal: controller.signal })).items
  }

  async function start(): Promise<void> {
    state.patch({ loading: true, error: null })
    try {
      // Subscribe at the head first, then read the latest page: nothing between the two is missed,
      // and what both deliver is kept once (by seq).
      const { head } = await client.events(projectId, { after: 0, limit: 1, signal: controller.signal })
      if (controller.signal.aborted) return
      unsubscribe ??= streams.subscribe(projectId, { after: head, onEvent: (event) => merge([event], true) })
      const latest = await client.events(projectId, {
        after: Math.max(0, head - pageSize),
        limit: pageSize,
        signal: controller.signal,
      })
      merge(latest.items)
      state.set((previous) => {
        const oldest = previous.items.at(-1)?.seq ?? 1
        return { ...previous, loading: false, hasOlder: oldest > 1 }
      })
    } catch (error) {
      if (!controller.signal.aborted) state.patch({ loading: false, error: toApiError(error) })
    }
  }
  void start()

  return {
    state,
    titles,
    async loadOlder() {
      const { items, loading } = state.get()
      const oldest = items.at(-1)?.seq
      if (loading || oldest === undefined || oldest <= 1) return
      state.patch({ loading: true, error: null })
      try {
        const older = await pageBefore(oldest)
        lookUpTitles(older, false)
        state.set((previous) => {
          const merged = [...previous.items, ...older.filter((event) => event.seq < oldest)].sort(
            (a, b) => b.seq - a.seq,
          )
          const first = merged.at(-1)?.seq ?? 1
          return { ...previous, items: merged, loading: false, hasOlder: first > 1 }
        })
      } catch (error) {
        if (!controller.signal.aborted) state.patch({ loading: false, error: toApiError(error) })
      }
    },
    retry: start,
    dispose() {
      controller.abort()
      unsubscribe?.()
    },
  }
}

/** One line of the feed: an event and how many like it came right before it (shown as one, "3×"). */
export interface ActivityGroup {
  event: StoredEvent
  count: number
}

/**
 * Folds runs of the same thing happening to the same file or session (a session changes with every turn,
 * an editor saves often) into their newest event with a count. `items` is newest first.
 */
export function groupActivity(items: StoredEvent[]): ActivityGroup[] {
  const groups: ActivityGroup[] = []
  let previousKey: string | null = null
  for (const event of items) {
    const key = repeatKey(event)
    const last = groups.at(-1)
    if (last && key !== null && key === previousKey) last.count += 1
    else groups.push({ event, count: 1 })
    previousKey = key
  }
  return groups
}

function repeatKey(event: StoredEvent): string | null {
  if (event.type === "file.changed") {
    const data = FileChangedData.safeParse(event.data)
    return data.success && data.data.change === "updated" ? `file:${data.data.path}` : null
  }
  if (event.type === "session.changed") {
    const data = ProjectSessionChange.safeParse(event.data)
    return data.success ? `session:${data.data.sessionId}` : null
  }
  return null
}
