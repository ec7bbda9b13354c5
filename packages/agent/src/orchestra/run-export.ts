import { createHash } from "node:crypto"
import { AppError } from "@xionimus/kit"
import type { StoredEvent } from "@xionimus/protocol"
import { z } from "zod"
import { canonicalJson } from "../canonical-json.ts"
import { renderContext } from "./context-doc.ts"
import { type RunState, reduceRun } from "./run-state.ts"

export const runExportVersion = 1

export const RunExport = z.object({
  format: z.literal("xionimus.run"),
  version: z.number().int().min(1),
  exportedAt: z.string(),
  runId: z.string().regex(/^orc_[0-9A-Za-z_-]{1,60}$/),
  events: z.array(
    z.object({
      id: z.string().min(1).max(64),
      seq: z.number().int().min(1),
      type: z.string().regex(/^[a-z]+(\.[a-z_]+)+$/),
      data: z.unknown(),
      time: z.string(),
    }),
  ),
  context: z.string(),
  report: z.string(),
  stateHash: z.string().regex(/^[0-9a-f]{64}$/),
})
export type RunExport = z.infer<typeof RunExport>

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex")

/** Text with the run's own id part replaced, so that runs that differ only in their ids compare equal. */
const withoutRunId = (text: string, runId: string) => text.replaceAll(runId.slice(4), "<run>")

/** Drops what differs run after run by design: wall-clock timing (latency, the session turn's id). */
function timeless(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(timeless)
  if (value === null || typeof value !== "object") return value
  const result: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value))
    if (key !== "timing" && key !== "latencyMs") result[key] = timeless(inner)
  return result
}

/** sha256 over the log's types and data in order (times, ids of the run and timing left out). */
export function runLogHash(events: readonly StoredEvent[], runId: string): string {
  return sha256(withoutRunId(canonicalJson(events.map((event) => [event.type, timeless(event.data)])), runId))
}

/** sha256 of the reduced state (run id, project, author and timing left out): equal for a run and its imported copy. */
export function runStateHash(events: readonly StoredEvent[], runId: string): string {
  // An import gives the run another project and author by design.
  const { id: _id, projectId: _projectId, createdBy: _createdBy, ...state } = reduceRun(events)
  return sha256(withoutRunId(canonicalJson(timeless(state)), runId))
}

/** Rewrites one run's ids in event data to another's (fork and import make a run of their own). */
export function renameRun<T>(value: T, from: string, to: string): T {
  return JSON.parse(JSON.stringify(value).replaceAll(from.slice(4), to.slice(4))) as T
}

/** A readable account of the run: outcome, packages, gates, totals, steps. */
export function runReport(state: RunState): string {
  const money = (value: number) => `$${value.toFixed(4)}`
  const lines = [
    `# Run ${state.id}`,
    "",
    `- Goal: ${state.goal}`,
    `- Outcome: ${state.ended ? `${state.ended.outcome} — ${state.ended.message}` : "running"}`,
    `- Tokens: ${state.totals.run.inputTokens} in, ${state.totals.run.outputTokens} out; cost ${money(state.totals.run.costUsd)}; model calls ${state.totals.run.modelCalls}`,
    ...(state.forkedFrom ? [`- Forked from ${state.forkedFrom.runId} at seq ${state.forkedFrom.seq}`] : []),
    "",
    "## Work packages",
    "",
    "| package | title | state | revision | review rounds | checks |",
    "|---|---|---|---|---|---|",
    ...state.packages.map(
      (item) =>
        `| ${item.id} | ${item.title.replaceAll("|", "\\|")} | ${item.state} | ${item.revision} | ${item.reviewRounds} | ${item.checks.map((check) => (check ? (check.passed ? "pass" : "fail") : "–")).join(" ")} |`,
    ),
    "",
    "## Gates",
    "",
    ...state.gates.map(
      (gate) =>
        `- ${gate.id} (${gate.kind}${gate.packageId ? `, ${gate.packageId}` : ""}): ${gate.status}${gate.comment ? ` — ${gate.comment}` : ""}`,
    ),
    "",
    "## Cost by role",
    "",
    ...Object.entries(state.totals.byRole).map(
      ([role, usage]) =>
        `- ${role}: ${usage.modelCalls} calls, ${usage.inputTokens + usage.outputTokens} tokens, ${money(usage.costUsd)}`,
    ),
    "",
    "## Steps",
    "",
    ...state.steps.map(
      (step) =>
        `- ${step.stepId} ${step.role} ${step.purpose}${step.packageId ? ` ${step.packageId}` : ""}${step.parentStepId ? ` (after ${step.parentStepId})` : ""}: ${step.outcome ?? "running"}`,
    ),
    "",
  ]
  return lines.join("\n")
}

export function exportRun(runId: string, events: readonly StoredEvent[], exportedAt: string): RunExport {
  const state = reduceRun(events)
  return {
    format: "xionimus.run",
    version: runExportVersion,
    exportedAt,
    runId,
    events: events.map(({ id, seq, type, data, time }) => ({ id, seq, type, data, time })),
    context: renderContext(state),
    report: runReport(state),
    stateHash: runStateHash(events, runId),
  }
}

/** Validates an export (version, shape, numbering, first event, hash); EXPORT_INVALID / EXPORT_VERSION_UNSUPPORTED. */
export function validateRunExport(data: unknown): RunExport {
  const version = (data as { version?: unknown } | null)?.version
  if (typeof version === "number" && version > runExportVersion)
    throw new AppError(
      "EXPORT_VERSION_UNSUPPORTED",
      `This run export was written by a newer Xionimus (version ${version}); this server reads up to ${runExportVersion}. Upgrade to import it.`,
    )
  const parsed = RunExport.safeParse(data)
  if (!parsed.success)
    throw new AppError("EXPORT_INVALID", "The file is not a Xionimus run export.", {
      problems: parsed.error.issues
        .slice(0, 20)
        .map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    })
  const file = parsed.data
  if (file.events.some((event, index) => event.seq !== index + 1) || file.events[0]?.type !== "run.started")
    throw new AppError(
      "EXPORT_INVALID",
      "The export's events must be numbered 1…n and start with run.started.",
    )
  const stored = file.events.map((event) => ({ ...event, stream: file.runId }))
  if (runStateHash(stored, file.runId) !== file.stateHash)
    throw new AppError(
      "EXPORT_INVALID",
      "The run export was changed after export (its state hash does not match).",
    )
  return file
}
