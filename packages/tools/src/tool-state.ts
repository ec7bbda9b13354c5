import { z } from "zod"
import type { ToolOutcome } from "./types.ts"

/**
 * The life of one tool call: pending (arguments received, waiting for validation or permission) →
 * running → completed | error. The agent stores these as message parts; the UI folds the same union.
 */
export const ToolState = z.discriminatedUnion("status", [
  z.object({ status: z.literal("pending"), input: z.unknown() }),
  z.object({ status: z.literal("running"), input: z.unknown(), startedAt: z.iso.datetime() }),
  z.object({
    status: z.literal("completed"),
    input: z.unknown(),
    title: z.string(),
    output: z.string(),
    metadata: z.record(z.string(), z.unknown()),
    truncated: z.boolean(),
    startedAt: z.iso.datetime(),
    endedAt: z.iso.datetime(),
  }),
  z.object({
    status: z.literal("error"),
    input: z.unknown(),
    code: z.string(),
    error: z.string(),
    details: z.unknown().optional(),
    /** Absent when the call failed before it ran (invalid arguments, denied). */
    startedAt: z.iso.datetime().optional(),
    endedAt: z.iso.datetime(),
  }),
])
export type ToolState = z.infer<typeof ToolState>

export function pendingState(input: unknown): ToolState {
  return { status: "pending", input }
}

export function runningState(input: unknown, now = new Date()): ToolState {
  return { status: "running", input, startedAt: now.toISOString() }
}

/** The final state of a call from its outcome; `startedAt` is absent when it never ran. */
export function finalState(
  input: unknown,
  outcome: ToolOutcome,
  startedAt: string | undefined,
  now = new Date(),
): ToolState {
  const endedAt = now.toISOString()
  if (outcome.status === "completed") {
    return { ...outcome, input, startedAt: startedAt ?? endedAt, endedAt }
  }
  return { ...outcome, input, ...(startedAt ? { startedAt } : {}), endedAt }
}
