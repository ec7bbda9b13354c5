import { AppError, newId } from "@xionimus/kit"
import type {
  PermissionDecision,
  PermissionEvaluation,
  PermissionMode,
  PermissionRequest,
  PermissionRules,
  PermissionScope,
} from "@xionimus/protocol"
import { applyDecision } from "./apply-decision.ts"
import { evaluatePermission } from "./evaluate-permission.ts"
import type { PermissionAsk } from "./types.ts"

export interface PermissionGateOptions {
  mode: PermissionMode
  rules: PermissionRules
  sandboxed: boolean
  /**
   * Puts the question to the user (the agent emits `permission.asked` and pauses the turn) and
   * resolves with the answer. Rejects (or the signal aborts) when the turn is cancelled.
   */
  onAsk(request: PermissionRequest, signal: AbortSignal): Promise<PermissionDecision>
  /** Called after "allow always" added rules, so that project and user rules can be saved. */
  onRulesChanged?(scope: PermissionScope, rules: PermissionRules): void | Promise<void>
  /** Called with every evaluation, for the audit log. */
  onEvaluated?(call: PermissionAsk, evaluation: PermissionEvaluation): void
}

export interface CallIds {
  sessionId: string
  messageId: string
  callId: string
}

/** One session's permission gate: the `ask` that tools receive through their context. */
export interface PermissionGate {
  /** Resolves when the call may go ahead; rejects with TOOL_DENIED otherwise. */
  check(ids: CallIds, ask: PermissionAsk, signal: AbortSignal): Promise<void>
  /** `check` bound to one call: what the agent puts in the tool context as `ask`. */
  forCall(ids: CallIds, signal: AbortSignal): (ask: PermissionAsk) => Promise<void>
  /** The current rules, including what "allow always" added. */
  rules(): PermissionRules
  setMode(mode: PermissionMode): void
}

export function createPermissionGate(options: PermissionGateOptions): PermissionGate {
  let rules = options.rules
  let mode = options.mode

  const gate: PermissionGate = {
    async check(ids, ask, signal) {
      const evaluation = evaluatePermission({ mode, rules, sandboxed: options.sandboxed }, ask)
      options.onEvaluated?.(ask, evaluation)
      if (evaluation.action === "allow") return
      if (evaluation.action === "deny") {
        const rule = evaluation.rule
        const where = evaluation.pattern ? ` on "${evaluation.pattern}"` : ""
        throw new AppError(
          "TOOL_DENIED",
          `The permission policy forbids ${ask.tool}${where}${rule ? ` (rule ${rule.tool}: "${rule.pattern}", ${rule.scope} settings)` : ""}. Do not retry it; choose another way or ask the user.`,
          { evaluation },
        )
      }
      const request: PermissionRequest = {
        id: newId("per"),
        ...ids,
        tool: ask.tool,
        kind: ask.kind,
        patterns: ask.patterns,
        always: ask.always,
        title: ask.title,
        metadata: ask.metadata ?? {},
      }
      if (signal.aborted) throw cancelled()
      const decision = await options.onAsk(request, signal)
      if (signal.aborted) throw cancelled()
      const applied = applyDecision(rules, request, decision)
      if (applied.added.length > 0 && decision.kind === "allow-always") {
        rules = applied.rules
        await options.onRulesChanged?.(decision.scope, rules)
      }
      if (!applied.allowed) {
        throw new AppError("TOOL_DENIED", applied.message ?? "The user denied this call.", {
          requestId: request.id,
          userMessage: decision.kind === "deny" ? decision.message : undefined,
        })
      }
    },
    forCall: (ids, signal) => (ask) => gate.check(ids, ask, signal),
    rules: () => rules,
    setMode(next) {
      mode = next
    },
  }
  return gate
}

function cancelled(): AppError {
  return new AppError("TOOL_ABORTED", "The tool call was cancelled while waiting for permission.")
}
