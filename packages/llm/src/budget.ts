import type { CallScope, UsageFilter, UsageLedger } from "./usage-record.ts"

/** A spending limit on one scope over a period. */
export interface Budget {
  scope: keyof CallScope
  /** The user, team, project or session id the limit is for. */
  id: string
  period: "day" | "month" | "total"
  limitUsd: number
}

export interface BudgetVerdict {
  allowed: boolean
  /** The budgets this call's scope falls under, with what is spent. */
  checks: { budget: Budget; spentUsd: number; remainingUsd: number }[]
  /** The first exhausted budget, worded for a person. */
  message?: string
  /** The error to raise when not allowed: BUDGET_EXCEEDED (default) or QUOTA_EXCEEDED (a user's or team's quota). */
  code?: "BUDGET_EXCEEDED" | "QUOTA_EXCEEDED"
  /** For QUOTA_EXCEEDED: which quota, used, limit, unit, resetsAt. */
  details?: Record<string, unknown>
}

function periodStart(period: Budget["period"], now: Date): string | undefined {
  if (period === "total") return undefined
  const start = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), period === "day" ? now.getUTCDate() : 1),
  )
  return start.toISOString()
}

/**
 * What the agent asks before each call: is any budget that covers this scope spent? A call is allowed
 * while every covering budget has money left (the call itself may overshoot it a little).
 */
export async function checkBudget(
  ledger: Pick<UsageLedger, "totals">,
  budgets: Budget[],
  scope: CallScope,
  now: Date = new Date(),
): Promise<BudgetVerdict> {
  const covering = budgets.filter((budget) => scope[budget.scope] === budget.id)
  const checks: BudgetVerdict["checks"] = []
  for (const budget of covering) {
    const from = periodStart(budget.period, now)
    const filter: UsageFilter = { [budget.scope]: budget.id, ...(from ? { from } : {}) }
    const { costUsd } = await ledger.totals(filter)
    checks.push({ budget, spentUsd: costUsd, remainingUsd: budget.limitUsd - costUsd })
  }
  const exhausted = checks.find((check) => check.remainingUsd <= 0)
  if (!exhausted) return { allowed: true, checks }
  const { budget, spentUsd } = exhausted
  const period = budget.period === "total" ? "in total" : `this ${budget.period}`
  return {
    allowed: false,
    checks,
    message: `The ${budget.scope.replace("Id", "")} budget of $${budget.limitUsd.toFixed(2)} ${period} is spent ($${spentUsd.toFixed(4)} used); raise the budget or wait for the next period.`,
  }
}
