import { AppError, isAppError } from "@xionimus/kit"
import { z } from "zod"
import { describeInputError } from "./describe-input-error.ts"
import { finalState, pendingState, runningState } from "./tool-state.ts"
import {
  defaultTruncation,
  type TruncationLimits,
  truncateOutput,
  withTruncationNote,
} from "./truncate-output.ts"
import type { Tool, ToolContext, ToolOutcome, ToolSpec } from "./types.ts"

const toolIdPattern = /^[a-z][a-z0-9_]{0,63}$/

export interface DefineToolOptions {
  truncation?: TruncationLimits
}

/**
 * Declares a tool once. The wrapper owns what every tool needs: argument validation (errors worded for
 * the model), the permission check before `execute`, abort, output truncation, and turning every
 * failure into an `error` outcome the model can act on.
 */
export function defineTool<Parameters extends z.ZodType>(
  id: string,
  spec: ToolSpec<Parameters>,
  options: DefineToolOptions = {},
): Tool {
  if (!toolIdPattern.test(id)) throw new Error(`tool id "${id}" must be lower snake_case`)
  const inputSchema = z.toJSONSchema(spec.parameters, { io: "input" }) as Record<string, unknown>
  const truncation = options.truncation ?? defaultTruncation

  async function attempt(
    input: unknown,
    context: ToolContext,
    markRunning: () => void,
  ): Promise<ToolOutcome> {
    const parsed = spec.parameters.safeParse(input)
    if (!parsed.success) {
      return {
        status: "error",
        code: "TOOL_INPUT_INVALID",
        error: describeInputError(id, parsed.error, inputSchema),
      }
    }
    const args = parsed.data
    throwIfAborted(context.signal)
    if (spec.permission) {
      const permission = await spec.permission(args, context)
      await context.ask({
        tool: id,
        kind: permission.kind,
        patterns: permission.patterns,
        always: permission.always ?? permission.patterns,
        title: permission.title,
        ...(permission.metadata ? { metadata: permission.metadata } : {}),
      })
    }
    throwIfAborted(context.signal)
    markRunning()
    const result = await raceAbort(spec.execute(args, context), context.signal)
    const side = spec.truncate ?? "head"
    const cut = truncateOutput(result.output, truncation, side)
    const hint = spec.truncationHint?.(args) ?? "Narrow the request to see the rest."
    return {
      status: "completed",
      title: result.title,
      output: withTruncationNote(cut, hint, side),
      metadata: result.metadata ?? {},
      truncated: cut.truncated,
    }
  }

  return {
    id,
    description: spec.description,
    inputSchema,
    async run(input, context, onState) {
      onState?.(pendingState(input))
      let startedAt: string | undefined
      let outcome: ToolOutcome
      try {
        outcome = await attempt(input, context, () => {
          const state = runningState(input)
          startedAt = state.status === "running" ? state.startedAt : undefined
          onState?.(state)
        })
      } catch (error) {
        outcome = failure(id, error, context.signal)
      }
      onState?.(finalState(input, outcome, startedAt))
      return outcome
    },
  }
}

function failure(id: string, error: unknown, signal: AbortSignal): ToolOutcome {
  if (signal.aborted) {
    return { status: "error", code: "TOOL_ABORTED", error: `${id} was cancelled by the user.` }
  }
  if (isAppError(error)) {
    return {
      status: "error",
      code: error.code,
      error: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    }
  }
  const message = error instanceof Error ? error.message : String(error)
  return {
    status: "error",
    code: "TOOL_FAILED",
    error: `${id} failed: ${message}. Check the arguments, or try another way.`,
  }
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError("TOOL_ABORTED", "The tool call was cancelled by the user.")
}

/** Settles as soon as the signal aborts, even if the tool ignores it (its result is then dropped). */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AppError("TOOL_ABORTED", "The tool call was cancelled by the user."))
    signal.addEventListener("abort", onAbort, { once: true })
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort))
  })
}
