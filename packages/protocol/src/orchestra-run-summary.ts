import { z } from "zod"
import type { RunState } from "./orchestra-state-types.ts"
import { pageOf } from "./pagination.ts"

/**
 * One row of a project's run list (`GET /api/projects/:projectId/runs`): what a list shows of a run
 * without its log (docs/orchestra.md "The run list").
 */

/** running: steps are working; waiting: a person must decide a gate; idle: nobody drives it; else how it ended. */
export const RunPhase = z.enum(["running", "waiting", "idle", "done", "cancelled", "failed", "budget"])
export type RunPhase = z.infer<typeof RunPhase>

export const RunSummaryUsage = z.object({
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  costUsd: z.number().min(0),
  modelCalls: z.number().int().min(0),
})

export const RunOrigin = z
  .union([
    z.object({ kind: z.literal("fork"), runId: z.string(), seq: z.number().int() }),
    z.object({ kind: z.literal("import") }),
  ])
  .nullable()
  .describe("null, { kind: 'fork', runId, seq } or { kind: 'import' }")
export type RunOrigin = z.infer<typeof RunOrigin>

export const RunSummary = z.object({
  runId: z.string(),
  /** Its place in the project's run-list stream `runs_<projectId>`: subscribe after the newest one's for new runs. */
  listedSeq: z.number().int().min(1),
  goal: z.string(),
  createdBy: z.string().nullable(),
  /** When the run was listed (started, forked or imported). */
  createdAt: z.string(),
  /** The time of the run's last event. */
  updatedAt: z.string(),
  /** The seq of the run's last event: a list follows the run's stream after it to see the row change. */
  head: z.number().int().min(0),
  origin: RunOrigin,
  phase: RunPhase,
  packages: z.object({ done: z.number().int().min(0), total: z.number().int().min(0) }),
  openGates: z.number().int().min(0),
  usage: RunSummaryUsage,
  budget: z.object({
    tokens: z.number().optional(),
    costUsd: z.number().optional(),
    modelCalls: z.number().optional(),
  }),
})
export type RunSummary = z.infer<typeof RunSummary>

/** A page of the run list, newest first; `nextCursor` reads the older runs. */
export const RunSummaryPage = pageOf(RunSummary)

/**
 * Where a run is: how it ended; waiting while a gate is open; running while a step runs (or, `driving`, the
 * process that answers works on it between steps); else idle.
 */
export function runPhase(state: RunState, driving = false): RunPhase {
  if (state.ended) return state.ended.outcome
  if (state.gates.some((gate) => gate.status === "open")) return "waiting"
  if (driving || state.steps.some((step) => step.status === "running")) return "running"
  return "idle"
}
