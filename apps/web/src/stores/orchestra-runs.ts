import type { RunSummary } from "@xionimus/protocol"
import type { ApiError, OrchestraClient, StartRunInput, StreamClient } from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"
import { isAbort, toApiError } from "../lib/to-api-error.ts"

export interface RunListState {
  /** The runs of the page shown, newest first, each with its summary (phase, packages, gates, cost). */
  items: RunSummary[]
  /** 0-based page shown. */
  page: number
  /** True when older runs follow this page. */
  hasNext: boolean
  pageSize: number
  loaded: boolean
  loading: boolean
  starting: boolean
  error: ApiError | null
  startError: ApiError | null
}

export interface RunList {
  state: Store<RunListState>
  /** Loads the page shown (the first one at first); follows new runs of the project. */
  load(): Promise<void>
  /** Shows the page before or after the one shown (pages are read by cursor, one step at a time). */
  setPage(page: number): Promise<void>
  /** Starts a run; its id, or undefined (the error is in `startError`). */
  start(input: StartRunInput): Promise<string | undefined>
  dispose(): void
}

const endedPhases: ReadonlySet<RunSummary["phase"]> = new Set(["done", "cancelled", "failed", "budget"])

/**
 * A project's runs, newest first, a page at a time. Each page comes with its runs' summaries (one request
 * per page, no run's status is read). New runs (started here, in another tab or by the CLI) arrive on the
 * project's run-list stream, which the first page is followed on.
 */
export function createRunList(deps: {
  orchestra: Pick<OrchestraClient, "list" | "start">
  streams?: Pick<StreamClient, "subscribe">
  projectId: string
  pageSize?: number
  /** How long a row's change waits for more before the page is read again (default 300 ms). */
  refreshDelayMs?: number
}): RunList {
  const { orchestra, projectId } = deps
  const state = createStore<RunListState>({
    items: [],
    page: 0,
    hasNext: false,
    pageSize: deps.pageSize ?? 10,
    loaded: false,
    loading: false,
    starting: false,
    error: null,
    startError: null,
  })
  const controller = new AbortController()
  /** cursors[n]: the cursor page n is read with (page 0: none). */
  const cursors: (string | undefined)[] = [undefined]
  let unsubscribe: (() => void) | undefined
  /** Only the newest read's answer is shown. */
  let reads = 0
  /** The streams of the shown runs that have not ended: any event on them reads the page again. */
  const followed = new Map<string, () => void>()
  let refresh: ReturnType<typeof setTimeout> | undefined

  function refreshSoon(): void {
    // Coalesced: a busy run's many events read the page once.
    refresh ??= setTimeout(() => {
      refresh = undefined
      void show(state.get().page)
    }, deps.refreshDelayMs ?? 300)
  }

  /** Follows the runs on the page that can still change; stops following the others. */
  function follow(items: readonly RunSummary[]): void {
    if (!deps.streams) return
    const live = new Map(
      items.filter((item) => !endedPhases.has(item.phase)).map((item) => [item.runId, item] as const),
    )
    for (const [runId, stop] of followed)
      if (!live.has(runId)) {
        stop()
        followed.delete(runId)
      }
    for (const [runId, item] of live)
      if (!followed.has(runId))
        followed.set(runId, deps.streams.subscribe(runId, { after: item.head, onEvent: refreshSoon }))
  }

  async function show(page: number): Promise<void> {
    const read = ++reads
    state.patch({ loading: true, error: null })
    try {
      const cursor = cursors[page]
      const answer = await orchestra.list(
        projectId,
        { limit: state.get().pageSize, ...(cursor ? { cursor } : {}) },
        { signal: controller.signal },
      )
      if (read !== reads) return
      cursors.length = page + 1
      if (answer.nextCursor) cursors.push(answer.nextCursor)
      state.patch({
        items: answer.items,
        page,
        hasNext: answer.nextCursor !== null,
        loaded: true,
        loading: false,
      })
      follow(answer.items)
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted) return
      if (read === reads) state.patch({ loading: false, error: toApiError(error) })
      return
    }
    if (!unsubscribe && deps.streams && page === 0) {
      unsubscribe = deps.streams.subscribe(`runs_${projectId}`, {
        after: state.get().items[0]?.listedSeq ?? 0,
        onEvent: (event) => {
          const current = state.get()
          // A new run shows on the first page; on later pages it waits until the user goes back there.
          if (current.page === 0 && !current.items.some((item) => item.runId === event.id)) void show(0)
        },
      })
    }
  }

  return {
    state,
    load: () => show(state.get().page),
    async setPage(page) {
      const current = state.get().page
      // Cursors are known for the pages seen and the one after the last seen.
      const target = Math.max(0, Math.min(page, cursors.length - 1, current + 1))
      await show(target)
    },
    async start(input) {
      state.patch({ starting: true, startError: null })
      try {
        const status = await orchestra.start(projectId, input)
        state.patch({ starting: false })
        await show(0)
        return status.runId
      } catch (error) {
        state.patch({ starting: false, startError: toApiError(error) })
        return undefined
      }
    },
    dispose() {
      controller.abort()
      unsubscribe?.()
      if (refresh) clearTimeout(refresh)
      for (const stop of followed.values()) stop()
      followed.clear()
    },
  }
}
