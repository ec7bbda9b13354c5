import assert from "node:assert/strict"
import { test } from "node:test"
import { type Budget, checkBudget, type UsageFilter, type UsageTotals } from "@xionimus/llm"

/** A ledger that answers from fixed spending per filter, and remembers what it was asked. */
function ledger(spent: (filter: UsageFilter) => number) {
  const asked: UsageFilter[] = []
  return {
    asked,
    async totals(filter: UsageFilter): Promise<UsageTotals> {
      asked.push(filter)
      const costUsd = spent(filter)
      return { calls: 1, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0, costUsd }
    },
  }
}

const now = new Date("2026-11-22T15:30:00.000Z")

test("allowed while every covering budget has money left; periods start at UTC day and month", async () => {
  const budgets: Budget[] = [
    { scope: "userId", id: "usr_1", period: "day", limitUsd: 5 },
    { scope: "projectId", id: "prj_1", period: "month", limitUsd: 100 },
    { scope: "userId", id: "usr_2", period: "total", limitUsd: 1 },
  ]
  const fake = ledger(() => 2)
  const verdict = await checkBudget(fake, budgets, { userId: "usr_1", projectId: "prj_1" }, now)
  assert.equal(verdict.allowed, true)
  assert.deepEqual(
    verdict.checks.map((check) => check.remainingUsd),
    [3, 98],
  )
  assert.deepEqual(fake.asked, [
    { userId: "usr_1", from: "2026-11-22T00:00:00.000Z" },
    { projectId: "prj_1", from: "2026-11-01T00:00:00.000Z" },
  ])
})

test("refused once a covering budget is spent, saying which and what to do", async () => {
  const budgets: Budget[] = [{ scope: "sessionId", id: "ses_1", period: "total", limitUsd: 0.5 }]
  const verdict = await checkBudget(
    ledger(() => 0.5),
    budgets,
    { sessionId: "ses_1" },
    now,
  )
  assert.equal(verdict.allowed, false)
  assert.match(verdict.message ?? "", /The session budget of \$0\.50 in total is spent/)
})

test("no covering budget: allowed without asking the ledger", async () => {
  const fake = ledger(() => 1000)
  const verdict = await checkBudget(
    fake,
    [{ scope: "teamId", id: "team_1", period: "day", limitUsd: 1 }],
    {},
    now,
  )
  assert.equal(verdict.allowed, true)
  assert.deepEqual(fake.asked, [])
})
