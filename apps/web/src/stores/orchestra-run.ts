import type { RunStatus } from "@xionimus/protocol"
import type { ApiError, GateDecisionInput, OrchestraClient, StreamClient } from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"
import { isAbort, toApiError } from "../lib/to-api-error.ts"

export type RunAction = "decide" | "cancel" | "resume" | "fork"

export interface RunViewState {
  status: RunStatus | null
  /** The last seq the stream delivered (the status may lag it by one refresh). */
  streamSeq: number
  /** Loading the run failed (not found, no access, offline). */
  error: ApiError | null
  /** An action in flight (its buttons are disabled meanwhile). */
  busy: RunAction | null
  /** The last action's failure, shown beside the actions. */
  actionError: ApiError | null
}

export interface RunView {
  state: Store<RunViewState>
  /** Loads the run and follows its stream; call once (again after a failure: retry). */
  open(): Promise<void>
  decide(gateId: string, input: GateDecisionInput): Promise<boolean>
  cancel(): Promise<boolean>
  resume(): Promise<boolean>
  /** Forks at `seq` (default: the whole log); the new run's id, or undefined on failure. */
  fork(seq?: number): Promise<string | undefined>
  exportUrl(): string
  dispose(): void
}

/**
 * One run, live: its status from the server (the engine's own reducer), refreshed whenever its stream
 * (`orc_…`, over the WebSocket, resumed by seq after a reconnect) delivers events. Refreshes are
 * coalesced: a burst of events while one is in flight causes one more, never one per event.
 */
export function createRunView(deps: {
  orchestra: Pick<OrchestraClient, "status" | "decideGate" | "cancel" | "resume" | "fork" | "exportUrl">
  streams: Pick<StreamClient, "subscribe">
  runId: string
}): RunView {
  const { orchestra, streams, runId } = deps
  const state = createStore<RunViewState>({
    status: null,
    streamSeq: 0,
    error: null,
    busy: null,
    actionError: null,
  })
  const controller = new AbortController()
  let unsubscribe: (() => void) | undefined
  let refreshing: Promise<void> | null = null
  let again = false

  /** Takes a status unless an older one (a slower answer) would replace a newer one. */
  function accept(status: RunStatus): void {
    const current = state.get().status
    if (current && status.state.head < current.state.head) return
    state.patch({ status, error: null })
  }

  async function fetchStatus(): Promise<void> {
    try {
      accept(await orchestra.status(runId, { signal: controller.signal }))
    } catch (error) {
      if (!isAbort(error) && !controller.signal.aborted) state.patch({ error: toApiError(error) })
    }
  }

  function refresh(): void {
    if (refreshing) {
      again = true
      return
    }
    refreshing = (async () => {
      do {
        again = false
        await fetchStatus()
      } while (again && !controller.signal.aborted)
      refreshing = null
    })()
  }

  function follow(after: number): void {
    unsubscribe?.()
    unsubscribe = streams.subscribe(runId, {
      after,
      onEvent(event) {
        state.patch({ streamSeq: Math.max(state.get().streamSeq, event.seq) })
        refresh()
      },
      onSubscribed(head) {
        // Events between the status and the subscription: the status is behind; read it again.
        if (head > (state.get().status?.state.head ?? 0)) refresh()
      },
      onError(error) {
        state.patch({ error: toApiError(error) })
      },
    })
  }

  async function act<T>(action: RunAction, call: () => Promise<T>): Promise<T | undefined> {
    state.patch({ busy: action, actionError: null })
    try {
      return await call()
    } catch (error) {
      state.patch({ actionError: toApiError(error) })
      return undefined
    } finally {
      state.patch({ busy: null })
    }
  }

  return {
    state,
    async open() {
      state.patch({ error: null })
      await fetchStatus()
      const status = state.get().status
      if (status && !controller.signal.aborted) follow(status.state.head)
    },
    async decide(gateId, input) {
      const status = await act("decide", () => orchestra.decideGate(runId, gateId, input))
      if (status) accept(status)
      return Boolean(status)
    },
    async cancel() {
      const status = await act("cancel", () => orchestra.cancel(runId))
      if (status) accept(status)
      return Boolean(status)
    },
    async resume() {
      const status = await act("resume", () => orchestra.resume(runId))
      if (status) accept(status)
      return Boolean(status)
    },
    async fork(seq) {
      const status = await act("fork", () => orchestra.fork(runId, seq !== undefined ? { seq } : {}))
      return status?.runId
    },
    exportUrl: () => orchestra.exportUrl(runId),
    dispose() {
      controller.abort()
      unsubscribe?.()
    },
  }
}
