import type { Page, RunSummary } from "@xionimus/protocol"
import type { CallOptions, ClientOptions } from "./client.ts"
import { createHttp, type Schema } from "./http.ts"

/**
 * Orchestra runs (docs/orchestra.md, docs/api.md "Orchestra"). The shapes below are those of the run
 * engine's `RunStatus` and `RunState` (packages/agent/src/orchestra/run-state.ts), written out here because
 * the SDK may not import the agent; the server sends them as the engine returns them.
 */

export type PackageState =
  | "draft"
  | "planned"
  | "assigned"
  | "in_progress"
  | "ready_for_review"
  | "approved"
  | "done"
  | "blocked"
  | "cancelled"
export type ContextSection = "goal" | "decisions" | "plan" | "status" | "open_questions"
export type GateKind = "plan" | "dangerous-tool" | "review" | "budget" | "stuck"
export type GateDecision = "approve" | "reject" | "edit"
export type GateStatus = "open" | "approved" | "rejected" | "edited"

export interface RunUsage {
  inputTokens: number
  outputTokens: number
  costUsd: number
  modelCalls: number
}

export interface RunBudget {
  tokens?: number
  costUsd?: number
  modelCalls?: number
}

export interface RunRole {
  name: string
  duty: "conductor" | "implementer" | "tester" | "reviewer" | "human"
  model?: string
  tools: string[]
  owns: ContextSection[]
}

export interface RunPreset {
  name: string
  roles: RunRole[]
  maxParallel: number
  gates: ("plan" | "review")[]
}

export type RunCheck =
  | { kind: "tests-pass"; command: string }
  | { kind: "files-within"; globs: string[] }
  | { kind: "reviewer-approval" }

export interface RunPackage {
  id: string
  template: string
  title: string
  instructions: string
  acceptance: RunCheck[]
  globs: string[]
  dependsOn: string[]
  by: string
  state: PackageState
  revision: number
  files: string[]
  reviewRounds: number
  /** The revision the reviewer approved last (null: none). */
  approvedRevision: number | null
  lastReview: { verdict: "approve" | "request_changes"; comment: string; revision: number } | null
  checks: ({ passed: boolean; output: string; check: RunCheck } | null)[]
  merged: boolean
  conflict: string[] | null
  reason: string
  /** The reason's stable code and params when the engine wrote it (docs/orchestra.md "Reasons"). */
  reasonCode?: string
  reasonParams?: Record<string, string | number>
}

export interface RunMessage {
  id: string
  sender: string
  recipients: "*" | string[]
  causationId: string | null
  kind: "note" | "question" | "answer" | "handoff" | "gate-comment"
  body: string
  packageId?: string
  /** Place among the run's messages (1, 2, 3 …). */
  seq: number
  /** The run event that carried it. */
  eventSeq: number
}

export interface RunGate {
  id: string
  kind: GateKind
  packageId?: string
  stepId?: string
  /** English; `code` and `params` say the same for a translation (docs/orchestra.md "Reasons"). */
  reason: string
  code?: string
  params?: Record<string, string | number>
  payload: unknown
  status: GateStatus
  decision?: GateDecision
  comment?: string
  editedPayload?: unknown
  decidedBy?: string | null
  openedSeq: number
}

export interface RunStep {
  stepId: string
  parentStepId: string | null
  role: string
  model: string
  packageId?: string
  sessionId: string
  purpose: "plan" | "implement" | "test" | "review"
  contextVersion: number
  status: "running" | "ended"
  outcome?: string
  usage?: RunUsage
  error?: { code: string; message: string }
  latencyMs?: number
  /** The seq of its `step.started`: where a fork at this step cuts the log. */
  startedSeq: number
}

export interface RunContextSection {
  version: number
  text: string
  /** The role whose patch wrote it last. */
  by: string | null
}

export interface RunState {
  id: string
  projectId: string
  goal: string
  preset: RunPreset | null
  budget: RunBudget
  createdBy: string | null
  forkedFrom: { runId: string; seq: number } | null
  ended: {
    outcome: "done" | "cancelled" | "failed" | "budget"
    message: string
    code?: string
    params?: Record<string, string | number>
  } | null
  messages: RunMessage[]
  readCursors: Record<string, number>
  context: { version: number; sections: Record<ContextSection, RunContextSection> }
  audit: { seq: number; type: string; data: unknown }[]
  packages: RunPackage[]
  gates: RunGate[]
  steps: RunStep[]
  totals: { run: RunUsage; byRole: Record<string, RunUsage>; byPackage: Record<string, RunUsage> }
  /** The seq of the last event folded in. */
  head: number
}

export interface RunStatus {
  runId: string
  state: RunState
  /** CONTEXT.md as the server renders it. */
  context: string
  /** Gates waiting for a person. */
  waiting: RunGate[]
  /** Steps running now on the server. */
  active: string[]
}

export type { RunOrigin, RunPhase, RunSummary } from "@xionimus/protocol"

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
