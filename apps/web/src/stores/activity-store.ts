import type { StoredEvent } from "@xionimus/protocol"
import type { ApiError, Client, StreamClient } from "@xionimus/sdk"
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
  loadOlder(): Promise<void>
  /** Loads the latest page again (after an error). */
  retry(): Promise<void>
  dispose(): void
}

export interface ActivityFeedDeps {
  client: Pick<Client, "events">
  streams: Pick<StreamClient, "subscribe">
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
  const controller = new AbortController()
  let unsubscribe: (() => void) | undefined

  /** Merges events into the feed: newest first, no seq twice, at most `keep`. */
  const merge = (events: StoredEvent[]) => {
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
      unsubscribe ??= streams.subscribe(projectId, { after: head, onEvent: (event) => merge([event]) })
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
    async loadOlder() {
      const { items, loading } = state.get()
      const oldest = items.at(-1)?.seq
      if (loading || oldest === undefined || oldest <= 1) return
      state.patch({ loading: true, error: null })
      try {
        const older = await pageBefore(oldest)
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
