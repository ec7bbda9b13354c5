import type { z } from "zod"
import type {
  CheckRanData,
  GateDecision,
  GateOpenedData,
  MessagePublishedData,
  PackageCreatedData,
  RunBudget,
  RunEndedData,
  RunUsage,
  StepStartedData,
} from "./orchestra-events.ts"
import type { RunReasonParams } from "./orchestra-reasons.ts"
import type { ContextSection, PackageState, RunPreset } from "./orchestra-roles.ts"

/** An orchestra run's reduced state (`reduceRun` in orchestra-state.ts) and what the engine answers about it. */

/** A delivered message: `seq` is its place among the run's messages (1, 2, 3 … without gaps). */
export type RunMessage = MessagePublishedData & { seq: number; eventSeq: number }

export interface RunPackage extends PackageCreatedData {
  state: PackageState
  /** Bumped by every implementer step that changed files; a review approves one revision. */
  revision: number
  files: string[]
  reviewRounds: number
  /** Malformed outputs so far (reset when a person unblocks the package). */
  malformed: number
  approvedRevision: number | null
  lastReview: { verdict: "approve" | "request_changes"; comment: string; revision: number } | null
  checks: (z.infer<typeof CheckRanData> | null)[]
  merged: boolean
  conflict: string[] | null
  reason: string
  /** The reason's code and params when the engine wrote it (the web translates them). */
  reasonCode?: string
  reasonParams?: RunReasonParams
}

export type GateStatus = "open" | "approved" | "rejected" | "edited"
export interface RunGate extends z.infer<typeof GateOpenedData> {
  status: GateStatus
  decision?: GateDecision
  comment?: string
  editedPayload?: unknown
  decidedBy?: string | null
  openedSeq: number
}

export interface RunStep extends StepStartedData {
  status: "running" | "ended"
  outcome?: string
  usage?: RunUsage
  error?: { code: string; message: string }
  latencyMs?: number
  startedSeq: number
}

export interface ContextSectionState {
  version: number
  text: string
  by: string | null
}

export interface RunState {
  id: string
  projectId: string
  goal: string
  preset: RunPreset | null
  budget: RunBudget
  baseCheckpoint: string
  createdBy: string | null
  forkedFrom: { runId: string; seq: number } | null
  ended: z.infer<typeof RunEndedData> | null
  messages: RunMessage[]
  /** Per reader (a role, or a role's instance on a package: `implementer_2`): the message seq read up to. */
  readCursors: Record<string, number>
  context: { version: number; sections: Record<ContextSection, ContextSectionState> }
  /** Refused context patches and tool calls, and rejected outputs: the audit trail. */
  audit: { seq: number; type: string; data: unknown }[]
  packages: RunPackage[]
  gates: RunGate[]
  steps: RunStep[]
  totals: { run: RunUsage; byRole: Record<string, RunUsage>; byPackage: Record<string, RunUsage> }
  /** Malformed outputs of steps without a package (the conductor's planning). */
  runMalformed: number
  head: number
}

/** What the engine answers about a run (`GET /api/runs/:runId` and every action on a run). */
export interface RunStatus {
  runId: string
  state: RunState
  /** CONTEXT.md as rendered from the run. */
  context: string
  /** Gates waiting for a person's decision. */
  waiting: RunGate[]
  /** Steps running now in the process that answered. */
  active: string[]
}
