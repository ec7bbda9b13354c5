import { AppError } from "@xionimus/kit"
import type { StoredEvent } from "@xionimus/protocol"
import { type RunEventInput, runEvent } from "./run-events.ts"
import { renameRun, validateRunExport } from "./run-export.ts"

/** A run's log under a new run id: a fork's (a prefix of it) and an import's (docs/orchestra.md). */

/**
 * The log of a fork of `events` (the parent's whole log) at a seq or at the end of a step: the events up
 * to there, their ids and data renamed to `forkId`, then `run.forked`. VALIDATION_FAILED for a step that
 * has not ended or a seq outside the log.
 */
export function forkLog(
  events: readonly StoredEvent[],
  runId: string,
  forkId: string,
  input: { seq?: number; stepId?: string },
): RunEventInput[] {
  const ended = (stepId: string) =>
    events.find(
      (event) => event.type === "step.ended" && (event.data as { stepId?: string }).stepId === stepId,
    )?.seq
  if (input.stepId && !ended(input.stepId))
    throw new AppError("VALIDATION_FAILED", `The run has no ended step ${input.stepId} to fork at.`)
  const seq = input.stepId ? ended(input.stepId)! : (input.seq ?? events.length)
  if (seq < 1 || seq > events.length)
    throw new AppError("VALIDATION_FAILED", `seq must be between 1 and ${events.length}.`)
  const copies = events
    .filter((event) => event.seq <= seq)
    .map((event) => ({
      id: renameRun(event.id, runId, forkId),
      type: event.type,
      data: renameRun(event.data, runId, forkId),
    }))
  return [
    ...(copies as RunEventInput[]),
    runEvent(`forked_${forkId.slice(4)}`, "run.forked", { from: { runId, seq } }),
  ]
}

/** The log of an imported run: the export's events renamed to `runId`, in `projectId`, created by `createdBy`. */
export function importLog(
  data: unknown,
  runId: string,
  projectId: string,
  createdBy: string | null,
): RunEventInput[] {
  const file = validateRunExport(data)
  return file.events.map((event) => {
    const renamed = {
      id: renameRun(event.id, file.runId, runId),
      type: event.type,
      data: renameRun(event.data, file.runId, runId),
    }
    if (event.type === "run.started") renamed.data = { ...(renamed.data as object), projectId, createdBy }
    return renamed as RunEventInput
  })
}
