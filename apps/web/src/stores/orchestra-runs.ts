import type {
  ApiError,
  OrchestraClient,
  RunSummary,
  RunUsage,
  StartRunInput,
  StreamClient,
} from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"
import { isAbort, toApiError } from "../lib/to-api-error.ts"
import { type RunPhase, runPhase } from "./orchestra-view.ts"

/** What a row of the run list shows beside the goal: where the run is, and what it cost so far. */
export interface RunRowStatus {
  phase: RunPhase
  cost: RunUsage
  budgetUsd: number | null
  packages: number
}

export interface RunListState {
  items: RunSummary[]
  /** 0-based page of `items` shown. */
  page: number
  pageSize: number
  /** Per run id: its status, read for the rows of the page shown. */
  rows: Record<string, RunRowStatus>
  loaded: boolean
  loading: boolean
  starting: boolean
  error: ApiError | null
  startError: ApiError | null
}

export interface RunList {
  state: Store<RunListState>
  /** Loads the list and the status of the page's runs; follows new runs of the project. */
  load(): Promise<void>
  setPage(page: number): Promise<void>
  /** Starts a run; its id, or undefined (the error is in `startError`). */
  start(input: StartRunInput): Promise<string | undefined>
  dispose(): void
}

export const pageCount = (state: Pick<RunListState, "items" | "pageSize">): number =>
  Math.max(1, Math.ceil(state.items.length / state.pageSize))

export const pageItems = (state: Pick<RunListState, "items" | "page" | "pageSize">): RunSummary[] =>
  state.items.slice(state.page * state.pageSize, (state.page + 1) * state.pageSize)

/**
 * A project's runs, newest first, a page at a time. The server lists runs without their state, so the
 * rows of the page shown read their status (phase, cost) — a page's worth of requests, not the whole list.
 * New runs (started here, in another tab or by the CLI) arrive on the project's run-list stream.
 */
export function createRunList(deps: {
  orchestra: Pick<OrchestraClient, "list" | "status" | "start">
  streams?: Pick<StreamClient, "subscribe">
  projectId: string
  pageSize?: number
}): RunList {
  const { orchestra, projectId } = deps
  const state = createStore<RunListState>({
    items: [],
    page: 0,
    pageSize: deps.pageSize ?? 10,
    rows: {},
    loaded: false,
    loading: false,
    starting: false,
    error: null,
    startError: null,
  })
  const controller = new AbortController()
  let unsubscribe: (() => void) | undefined

  async function readRows(): Promise<void> {
    const shown = pageItems(state.get())
    await Promise.all(
      shown.map(async ({ runId }) => {
        try {
          const { state: run, active } = await orchestra.status(runId, { signal: controller.signal })
          const row: RunRowStatus = {
            phase: runPhase(run, active),
            cost: run.totals.run,
            budgetUsd: run.budget.costUsd ?? null,
            packages: run.packages.length,
          }
          state.set((previous) => ({ ...previous, rows: { ...previous.rows, [runId]: row } }))
        } catch {
          // The row shows no status; the run itself opens with the reason.
        }
      }),
    )
  }

  async function load(): Promise<void> {
    state.patch({ loading: true, error: null })
    try {
      const items = await orchestra.list(projectId, { signal: controller.signal })
      state.set((previous) => ({
        ...previous,
        items,
        page: Math.min(previous.page, Math.max(0, Math.ceil(items.length / previous.pageSize) - 1)),
        loaded: true,
        loading: false,
      }))
    } catch (error) {
      if (isAbort(error) || controller.signal.aborted) return
      state.patch({ loading: false, error: toApiError(error) })
      return
    }
    if (!unsubscribe && deps.streams) {
      unsubscribe = deps.streams.subscribe(`runs_${projectId}`, {
        after: state.get().items.length,
        onEvent: (event) => {
          if (!state.get().items.some((item) => item.runId === event.id)) void load()
        },
      })
    }
    await readRows()
  }

  return {
    state,
    load,
    async setPage(page) {
      state.patch({ page: Math.max(0, Math.min(page, pageCount(state.get()) - 1)) })
      await readRows()
    },
    async start(input) {
      state.patch({ starting: true, startError: null })
      try {
        const status = await orchestra.start(projectId, input)
        const summary: RunSummary = {
          runId: status.runId,
          goal: status.state.goal,
          createdBy: status.state.createdBy,
          createdAt: new Date().toISOString(),
          origin: null,
        }
        state.set((previous) => ({
          ...previous,
          items: [summary, ...previous.items.filter((item) => item.runId !== status.runId)],
          page: 0,
          starting: false,
        }))
        return status.runId
      } catch (error) {
        state.patch({ starting: false, startError: toApiError(error) })
        return undefined
      }
    },
    dispose() {
      controller.abort()
      unsubscribe?.()
    },
  }
}
