import { type CodedReason, causeParams, runReason } from "@xionimus/protocol"
import type { GateToOpen } from "./gates.ts"
import { roleByDuty } from "./roles.ts"
import type { StepStartedData } from "./run-events.ts"
import { openGates, type RunPackage, type RunState, runningSteps } from "./run-state.ts"

/**
 * Which work comes next, decided from the reduced run state alone (so the same log always gives the
 * same decisions). Steps run a role's turn; the other actions are the engine's own appends.
 */
export type Action =
  | { kind: "step"; role: string; purpose: StepStartedData["purpose"]; packageId?: string }
  | {
      kind: "gate"
      id: string
      gate: GateToOpen
    }
  | { kind: "move"; packageId: string; to: "done" | "blocked"; role: string; reason: CodedReason }
  | { kind: "merge"; packageId: string }
  | { kind: "checks"; packageId: string }
  | { kind: "end"; outcome: "done" | "cancelled"; reason: CodedReason }

/** Which limit of the run's budget is reached, with what was used of it; undefined while none is. */
export function budgetReached(
  state: RunState,
): { kind: "tokens" | "costUsd" | "modelCalls"; used: number | string; limit: number } | undefined {
  const { budget, totals } = state
  const tokens = totals.run.inputTokens + totals.run.outputTokens
  if (budget.tokens !== undefined && tokens >= budget.tokens)
    return { kind: "tokens", used: tokens, limit: budget.tokens }
  if (budget.costUsd !== undefined && totals.run.costUsd >= budget.costUsd)
    return { kind: "costUsd", used: totals.run.costUsd.toFixed(4), limit: budget.costUsd }
  if (budget.modelCalls !== undefined && totals.run.modelCalls >= budget.modelCalls)
    return { kind: "modelCalls", used: totals.run.modelCalls, limit: budget.modelCalls }
  return undefined
}

/** Why the run's budget stops it (for the model), or undefined. */
export function budgetExceeded(state: RunState): string | undefined {
  const reached = budgetReached(state)
  if (!reached) return undefined
  const { kind, used, limit } = reached
  if (kind === "tokens") return `The run has used ${used} of its ${limit} tokens.`
  if (kind === "costUsd") return `The run has spent $${used} of its $${limit} budget.`
  return `The run has made ${used} of its ${limit} model calls.`
}

/** The literal part of a glob before its first wildcard: two globs may overlap when one prefix starts the other. */
const prefixOf = (glob: string) => glob.split(/[*?[{]/, 1)[0]!
export function globsOverlap(a: readonly string[], b: readonly string[]): boolean {
  return a.some((left) =>
    b.some((right) => {
      const [x, y] = [prefixOf(left), prefixOf(right)]
      return x.startsWith(y) || y.startsWith(x)
    }),
  )
}

/** The package's machine checks (tests-pass, files-within) not yet run on its current revision. */
export const checksDue = (item: RunPackage): boolean =>
  item.acceptance.some(
    (check, index) => check.kind !== "reviewer-approval" && item.checks[index]?.revision !== item.revision,
  )
const checksGreen = (item: RunPackage): boolean =>
  item.acceptance.every(
    (check, index) => check.kind === "reviewer-approval" || item.checks[index]?.passed === true,
  )

const gateId = (state: RunState) => `gat_${state.id.slice(4)}_${state.gates.length + 1}`

export function nextActions(state: RunState): Action[] {
  const preset = state.preset
  if (!preset || state.ended || openGates(state).length > 0) return []
  const running = runningSteps(state)
  const idleOnly = (action: Action): Action[] => (running.length > 0 ? [] : [action])
  const conductor = roleByDuty(preset, "conductor")!.name
  const reached = budgetReached(state)
  if (reached)
    return idleOnly({
      kind: "gate",
      id: gateId(state),
      gate: {
        kind: "budget",
        reason: runReason(`gate.budget.${reached.kind}`, { used: reached.used, limit: reached.limit }),
        payload: { budget: state.budget, totals: state.totals.run },
      },
    })
  if (running.some((step) => step.purpose === "plan")) return []
  if (state.runMalformed >= preset.retryBound)
    return idleOnly({
      kind: "gate",
      id: gateId(state),
      gate: {
        kind: "stuck",
        reason: runReason("gate.stuck.noPlan", { role: conductor, count: state.runMalformed }),
        payload: { errors: state.audit.filter((entry) => entry.type === "output.rejected").slice(-3) },
      },
    })
  const live = state.packages.filter((item) => item.state !== "cancelled")
  const lastPlanGate = state.gates.findLast((gate) => gate.kind === "plan")
  if (live.length === 0 && state.packages.length > 0 && lastPlanGate?.status !== "rejected")
    return idleOnly({ kind: "end", outcome: "cancelled", reason: runReason("run.allCancelled") })
  if (live.length === 0 || live.some((item) => item.state === "draft"))
    return idleOnly({ kind: "step", role: conductor, purpose: "plan" })
  if (live.every((item) => item.state === "done"))
    return idleOnly({
      kind: "end",
      outcome: "done",
      reason: runReason("run.allDone", { count: live.length }),
    })

  const busy = new Set(running.map((step) => step.packageId))
  const active = state.packages.filter((item) => busy.has(item.id))
  const tester = roleByDuty(preset, "tester")?.name
  const reviewer = roleByDuty(preset, "reviewer")!.name
  const implementer = roleByDuty(preset, "implementer")!.name
  let slots = preset.maxParallel - running.length
  const steps: Action[] = []
  for (const item of live) {
    if (busy.has(item.id)) continue
    switch (item.state) {
      case "blocked":
        return [
          {
            kind: "gate",
            id: gateId(state),
            gate: {
              kind: "stuck",
              packageId: item.id,
              reason: runReason("gate.stuck.blocked", { packageId: item.id, ...causeParams(item) }),
              payload: { reason: item.reason, state: item.state },
            },
          },
        ]
      case "assigned":
      case "in_progress": {
        const spent = state.totals.byPackage[item.id]
        const used = spent?.modelCalls ?? 0
        if (item.limits.budgetUsd !== undefined && (spent?.costUsd ?? 0) >= item.limits.budgetUsd)
          return [
            {
              kind: "move",
              packageId: item.id,
              to: "blocked",
              role: conductor,
              reason: runReason("package.budget", {
                spent: (spent?.costUsd ?? 0).toFixed(4),
                limit: item.limits.budgetUsd,
              }),
            },
          ]
        if (used >= item.limits.modelCalls)
          return [
            {
              kind: "move",
              packageId: item.id,
              to: "blocked",
              role: conductor,
              reason: runReason("package.modelCalls", { limit: item.limits.modelCalls }),
            },
          ]
        const waiting = item.dependsOn.some(
          (id) => state.packages.find((other) => other.id === id)?.state !== "done",
        )
        if (waiting || active.some((other) => globsOverlap(other.globs, item.globs)) || slots <= 0) continue
        steps.push({ kind: "step", role: implementer, purpose: "implement", packageId: item.id })
        active.push(item)
        slots--
        break
      }
      case "ready_for_review":
        if (slots <= 0) continue
        if (checksDue(item)) {
          if (!tester) return [{ kind: "checks", packageId: item.id }]
          steps.push({ kind: "step", role: tester, purpose: "test", packageId: item.id })
        } else if (!checksGreen(item)) {
          if (!tester) return [{ kind: "checks", packageId: item.id }]
          continue
        } else steps.push({ kind: "step", role: reviewer, purpose: "review", packageId: item.id })
        slots--
        break
      case "approved": {
        if (item.gates.includes("review")) {
          const gate = state.gates.findLast(
            (candidate) =>
              candidate.kind === "review" &&
              candidate.packageId === item.id &&
              (candidate.payload as { revision?: number } | undefined)?.revision === item.revision,
          )
          if (!gate || gate.status === "rejected")
            return [
              {
                kind: "gate",
                id: gateId(state),
                gate: {
                  kind: "review",
                  packageId: item.id,
                  reason: runReason("gate.review", { packageId: item.id }),
                  payload: { revision: item.revision, files: item.files, title: item.title },
                },
              },
            ]
        }
        if (item.revision > 0 && !item.merged) return [{ kind: "merge", packageId: item.id }]
        return [
          {
            kind: "move",
            packageId: item.id,
            to: "done",
            role: conductor,
            reason: runReason("package.merged"),
          },
        ]
      }
      default:
        break
    }
  }
  return steps
}
