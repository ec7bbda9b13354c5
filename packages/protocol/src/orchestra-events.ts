import { z } from "zod"
import { RunReasonParams } from "./orchestra-reasons.ts"
import { ContextSection, PackageState, RunPreset } from "./orchestra-roles.ts"

/** The run stream's event types and data (docs/orchestra.md "The run is an event log"). */

export const RunBudget = z.strictObject({
  /** Input + output tokens of every step together. */
  tokens: z.number().int().min(1).optional(),
  costUsd: z.number().min(0).optional(),
  modelCalls: z.number().int().min(1).optional(),
})
export type RunBudget = z.infer<typeof RunBudget>

export const RunUsage = z.strictObject({
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  costUsd: z.number().min(0),
  modelCalls: z.number().int().min(0),
})
export type RunUsage = z.infer<typeof RunUsage>

export const RunStartedData = z.strictObject({
  projectId: z.string(),
  goal: z.string().min(1).max(20_000),
  preset: RunPreset,
  budget: RunBudget,
  baseCheckpoint: z.string(),
  createdBy: z.string().nullable(),
})

export const RunForkedData = z.strictObject({
  from: z.strictObject({ runId: z.string(), seq: z.number().int() }),
})

export const MessageRecipients = z.union([z.literal("*"), z.array(z.string()).min(1)])

export const MessagePublishedData = z.strictObject({
  /** The envelope id; also the event's id, so publishing it twice delivers once. */
  id: z.string(),
  sender: z.string(),
  recipients: MessageRecipients,
  causationId: z.string().nullable(),
  kind: z.enum(["note", "question", "answer", "handoff", "gate-comment"]),
  body: z.string().max(20_000),
  packageId: z.string().optional(),
})
export type MessagePublishedData = z.infer<typeof MessagePublishedData>

export const MessageReadData = z.strictObject({ recipient: z.string(), upTo: z.number().int().min(0) })

export const ContextPatchedData = z.strictObject({
  section: ContextSection,
  by: z.string(),
  baseVersion: z.number().int().min(0),
  version: z.number().int().min(1),
  text: z.string().max(50_000),
})
export const ContextRefusedData = z.strictObject({
  section: ContextSection,
  by: z.string(),
  baseVersion: z.number().int().min(0),
  reason: z.enum(["not_owner", "stale"]),
  currentVersion: z.number().int().min(0),
})

export const RunCheck = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("tests-pass"), command: z.string().min(1) }),
  z.strictObject({ kind: z.literal("files-within"), globs: z.array(z.string().min(1)).min(1) }),
  z.strictObject({ kind: z.literal("reviewer-approval") }),
])
export type RunCheck = z.infer<typeof RunCheck>

export const GateKind = z.enum(["plan", "dangerous-tool", "review", "budget", "stuck"])
export type GateKind = z.infer<typeof GateKind>

export const PackageLimits = z.strictObject({
  reviewRounds: z.number().int().min(1).max(50).default(3),
  modelCalls: z.number().int().min(1).max(1000).default(30),
  budgetUsd: z.number().min(0).optional(),
  sandboxSeconds: z.number().int().min(1).max(3600).default(600),
})
export type PackageLimits = z.infer<typeof PackageLimits>

export const PackageCreatedData = z.strictObject({
  id: z.string(),
  template: z.string(),
  title: z.string().min(1).max(200),
  fields: z.record(z.string(), z.string()),
  /** The template's body with the fields filled in: the package's instructions. */
  instructions: z.string(),
  acceptance: z.array(RunCheck),
  gates: z.array(GateKind),
  limits: PackageLimits,
  /** Paths the package may touch; packages with disjoint globs run in parallel. */
  globs: z.array(z.string()),
  dependsOn: z.array(z.string()).default([]),
  by: z.string(),
})
export type PackageCreatedData = z.infer<typeof PackageCreatedData>

/**
 * A reason a person reads: the English text, and its stable code and params (packages/protocol
 * orchestra-reasons.ts) when the engine wrote it; absent for a role's or a person's own words and in
 * logs written before codes. A string, not an enum, so an older reader folds a newer code.
 */
const reasonCode = { code: z.string().max(100).optional(), params: RunReasonParams.optional() }

export const PackageMovedData = z.strictObject({
  id: z.string(),
  from: PackageState,
  to: PackageState,
  by: z.string(),
  reason: z.string(),
  ...reasonCode,
})
export const PackageRefusedData = z.strictObject({
  id: z.string(),
  to: PackageState,
  by: z.string(),
  reason: z.string(),
})
/** An implementer step changed files of the package: a new revision (the diff a review approves). */
export const PackageChangedData = z.strictObject({
  id: z.string(),
  revision: z.number().int().min(1),
  files: z.array(z.string()),
})

export const ReviewSubmittedData = z.strictObject({
  packageId: z.string(),
  by: z.string(),
  verdict: z.enum(["approve", "request_changes"]),
  comment: z.string(),
  revision: z.number().int().min(0),
})

export const CheckRanData = z.strictObject({
  packageId: z.string(),
  index: z.number().int().min(0),
  check: RunCheck,
  passed: z.boolean(),
  output: z.string().max(4_000),
  revision: z.number().int().min(0),
})
export type CheckRan = z.infer<typeof CheckRanData>

export const GateOpenedData = z.strictObject({
  id: z.string(),
  kind: GateKind,
  packageId: z.string().optional(),
  stepId: z.string().optional(),
  reason: z.string(),
  ...reasonCode,
  payload: z.unknown(),
})
/** A plan gate's edit payload: per package, the title or instructions a person changed. */
export const PlanEdit = z.strictObject({
  packages: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string().min(1).max(200).optional(),
      instructions: z.string().min(1).max(20_000).optional(),
    }),
  ),
})
export type PlanEdit = z.infer<typeof PlanEdit>

export const GateDecision = z.enum(["approve", "reject", "edit"])
export type GateDecision = z.infer<typeof GateDecision>
export const GateDecidedData = z.strictObject({
  id: z.string(),
  decision: GateDecision,
  comment: z.string().max(20_000).optional(),
  payload: z.unknown().optional(),
  by: z.string().nullable(),
})

export const StepStartedData = z.strictObject({
  stepId: z.string(),
  parentStepId: z.string().nullable(),
  role: z.string(),
  model: z.string(),
  packageId: z.string().optional(),
  sessionId: z.string(),
  purpose: z.enum(["plan", "implement", "test", "review"]),
  /** The CONTEXT.md version the step's model requests saw. */
  contextVersion: z.number().int().min(0),
})
export type StepStartedData = z.infer<typeof StepStartedData>

export const StepOutcome = z.enum([
  "completed",
  "failed",
  "budget",
  "limit",
  "cancelled",
  "malformed",
  "blocked",
])
export const StepEndedData = z.strictObject({
  stepId: z.string(),
  outcome: StepOutcome,
  usage: RunUsage,
  error: z.strictObject({ code: z.string(), message: z.string() }).optional(),
  /** Wall-clock facts: left out of the run's hash (they differ run after run). */
  timing: z.strictObject({ latencyMs: z.number().min(0), turnId: z.string() }).optional(),
})

export const ToolRefusedData = z.strictObject({
  stepId: z.string(),
  role: z.string(),
  tool: z.string(),
  code: z.string(),
  reason: z.string(),
})

export const OutputRejectedData = z.strictObject({
  stepId: z.string(),
  role: z.string(),
  packageId: z.string().optional(),
  error: z.string(),
})

export const MergeAppliedData = z.strictObject({
  packageId: z.string(),
  files: z.array(z.string()),
  checkpointId: z.string().optional(),
})
export const MergeConflictedData = z.strictObject({ packageId: z.string(), paths: z.array(z.string()) })

export const RunOutcome = z.enum(["done", "cancelled", "failed", "budget"])
export const RunEndedData = z.strictObject({ outcome: RunOutcome, message: z.string(), ...reasonCode })

/** Every event type of a run stream and its data schema; the reducer skips others. */
export const runEventSchemas = {
  "run.started": RunStartedData,
  "run.forked": RunForkedData,
  "run.ended": RunEndedData,
  "message.published": MessagePublishedData,
  "message.read": MessageReadData,
  "context.patched": ContextPatchedData,
  "context.refused": ContextRefusedData,
  "package.created": PackageCreatedData,
  "package.moved": PackageMovedData,
  "package.refused": PackageRefusedData,
  "package.changed": PackageChangedData,
  "review.submitted": ReviewSubmittedData,
  "check.ran": CheckRanData,
  "gate.opened": GateOpenedData,
  "gate.decided": GateDecidedData,
  "step.started": StepStartedData,
  "step.ended": StepEndedData,
  "tool.refused": ToolRefusedData,
  "output.rejected": OutputRejectedData,
  "merge.applied": MergeAppliedData,
  "merge.conflicted": MergeConflictedData,
} as const
export type RunEventType = keyof typeof runEventSchemas
export type RunEventData<T extends RunEventType> = z.infer<(typeof runEventSchemas)[T]>

/** A run event to append: its id is derived (never random), so a retried append lands once. */
export interface RunEventInput<T extends RunEventType = RunEventType> {
  id: string
  type: T
  data: RunEventData<T>
}

export function runEvent<T extends RunEventType>(
  id: string,
  type: T,
  data: RunEventData<T>,
): RunEventInput<T> {
  return { id, type, data: runEventSchemas[type].parse(data) as RunEventData<T> }
}
