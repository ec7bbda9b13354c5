import type { GateDecision, Page, RunBudget, RunStatus, RunSummary } from "@xionimus/protocol"
import type { CallOptions, ClientOptions } from "./client.ts"
import { createHttp, type Schema } from "./http.ts"

/**
 * Orchestra runs (docs/orchestra.md, docs/api.md "Orchestra"). A run's state and status are protocol's
 * (`RunState`, `RunStatus` in packages/protocol/src/orchestra-state-types.ts, folded by `reduceRun`): the
 * engine answers them, and the browser may fold a run's events itself with the same reducer.
 */

export type {
  GateDecision,
  RunBudget,
  RunGate,
  RunOrigin,
  RunPhase,
  RunState,
  RunStatus,
  RunSummary,
} from "@xionimus/protocol"

export interface StartRunInput {
  goal: string
  /** Roles as data; absent: the server's four-role preset. */
  preset?: unknown
  budget?: RunBudget
}

export interface GateDecisionInput {
  decision: GateDecision
  /** Required for reject: the agent reads it. */
  comment?: string
  /** Required for edit: the gate's payload as it should be (a plan gate: `{ packages: [{ id, title?, instructions? }] }`). */
  payload?: unknown
}

/** The orchestra routes. Every failure is thrown as an ApiError. */
export interface OrchestraClient {
  /**
   * A page of the project's runs, newest first, each with its summary (phase, packages, open gates, usage):
   * a list needs no run's status. `cursor` is the previous page's `nextCursor`.
   */
  list(
    projectId: string,
    query?: { limit?: number; cursor?: string },
    options?: CallOptions,
  ): Promise<Page<RunSummary>>
  /** Starts a run; the conductor plans at once (with the default preset the run then waits at the plan gate). */
  start(projectId: string, input: StartRunInput, options?: CallOptions): Promise<RunStatus>
  status(runId: string, options?: CallOptions): Promise<RunStatus>
  decideGate(
    runId: string,
    gateId: string,
    input: GateDecisionInput,
    options?: CallOptions,
  ): Promise<RunStatus>
  cancel(runId: string, options?: CallOptions): Promise<RunStatus>
  /** Drives a run again (after a restart, or a fork, which starts stopped). */
  resume(runId: string, options?: CallOptions): Promise<RunStatus>
  /** A new run from this one's log up to `seq` (default: all of it); not started: resume it. */
  fork(runId: string, input?: { seq?: number }, options?: CallOptions): Promise<RunStatus>
  /** Where the run's export (events, CONTEXT.md, Markdown report as JSON) downloads from. */
  exportUrl(runId: string): string
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** A light check of an answer's outline (the server does not parse its answers against a schema). */
function outline<T>(check: (value: Record<string, unknown>) => boolean, what: string): Schema<T> {
  return {
    safeParse(value) {
      return isObject(value) && check(value)
        ? { success: true, data: value as T }
        : { success: false, error: { issues: [{ message: `not ${what}` }] } }
    },
  }
}

const StatusSchema = outline<RunStatus>(
  (value) =>
    typeof value.runId === "string" &&
    isObject(value.state) &&
    Array.isArray(value.state.packages) &&
    Array.isArray(value.waiting),
  "a run status",
)
const ListSchema = outline<Page<RunSummary>>(
  (value) =>
    Array.isArray(value.items) && (value.nextCursor === null || typeof value.nextCursor === "string"),
  "a page of runs",
)

export function createOrchestraClient(options: ClientOptions): OrchestraClient {
  const http = createHttp(options)
  const signalOf = (callOptions?: CallOptions) => (callOptions?.signal ? { signal: callOptions.signal } : {})
  const run = (runId: string) => `/api/runs/${encodeURIComponent(runId)}`
  return {
    list(projectId, query = {}, callOptions) {
      const url = `/api/projects/${encodeURIComponent(projectId)}/runs`
      return http.json(url, ListSchema, {
        query: { limit: query.limit, cursor: query.cursor },
        ...signalOf(callOptions),
      })
    },
    start(projectId, input, callOptions) {
      const url = `/api/projects/${encodeURIComponent(projectId)}/runs`
      return http.json(url, StatusSchema, { method: "POST", body: input, ...signalOf(callOptions) })
    },
    status: (runId, callOptions) => http.json(run(runId), StatusSchema, signalOf(callOptions)),
    decideGate(runId, gateId, input, callOptions) {
      return http.json(`${run(runId)}/gates/${encodeURIComponent(gateId)}`, StatusSchema, {
        method: "POST",
        body: input,
        ...signalOf(callOptions),
      })
    },
    cancel: (runId, callOptions) =>
      http.json(`${run(runId)}/cancel`, StatusSchema, { method: "POST", ...signalOf(callOptions) }),
    resume: (runId, callOptions) =>
      http.json(`${run(runId)}/resume`, StatusSchema, { method: "POST", ...signalOf(callOptions) }),
    fork: (runId, input = {}, callOptions) =>
      http.json(`${run(runId)}/fork`, StatusSchema, {
        method: "POST",
        body: input,
        ...signalOf(callOptions),
      }),
    exportUrl: (runId) => http.url(`${run(runId)}/export`),
  }
}
