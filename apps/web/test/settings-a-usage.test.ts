import assert from "node:assert/strict"
import { test } from "node:test"
import {
  axisTicks,
  dailySeries,
  niceMax,
  peakOf,
  periodRange,
  rankedSeries,
  type UsageGroup,
} from "../src/screens/settings/usage-data.ts"
import {
  formatCount,
  formatCurrency,
  formatDay,
  formatMetric,
  formatPercent,
  formatQuotaAmount,
  quotaFill,
} from "../src/screens/settings/usage-format.ts"

const group = (key: string | null, costUsd: number, calls = 1, tokens = 0): UsageGroup => ({
  key,
  calls,
  inputTokens: tokens,
  outputTokens: tokens,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  costUsd,
})

test("periods are whole UTC days ending today; the month period starts on the first", () => {
  const now = new Date("2026-12-04T23:30:00-05:00") // already Dec 5 in UTC
  const week = periodRange("7d", now)
  assert.equal(week.from, "2026-11-29T00:00:00.000Z")
  assert.equal(week.to, "2026-12-06T00:00:00.000Z")
  assert.deepEqual(week.days, [
    "2026-11-29",
    "2026-11-30",
    "2026-12-01",
    "2026-12-02",
    "2026-12-03",
    "2026-12-04",
    "2026-12-05",
  ])
  assert.equal(periodRange("30d", now).days.length, 30)
  assert.equal(periodRange("90d", now).days[0], "2026-09-07")
  const month = periodRange("month", new Date("2026-03-01T08:00:00Z"))
  assert.deepEqual(month.days, ["2026-03-01"])
  assert.equal(month.to, "2026-03-02T00:00:00.000Z")
})

test("the daily series has one bar per day in order, zero where the API had no row", () => {
  const days = ["2026-12-01", "2026-12-02", "2026-12-03"]
  // The API orders groups by cost, not by day, and leaves days without calls out.
  const groups = [group("2026-12-03", 0.5, 2, 100), group("2026-12-01", 0.25, 1, 10), group("2026-11-30", 9)]
  const cost = dailySeries(groups, days, "cost", (day) => day.slice(8))
  assert.deepEqual(
    cost.map(({ key, label, value }) => [key, label, value]),
    [
      ["2026-12-01", "01", 0.25],
      ["2026-12-02", "02", 0],
      ["2026-12-03", "03", 0.5],
    ],
  )
  assert.deepEqual(
    dailySeries(groups, days, "tokens", String).map((datum) => datum.value),
    [20, 0, 200],
  )
  assert.deepEqual(
    dailySeries(groups, days, "calls", String).map((datum) => datum.value),
    [1, 0, 2],
  )
  assert.equal(peakOf(cost)?.key, "2026-12-03")
  assert.equal(peakOf(dailySeries([], days, "cost", String)), null)
})

test("ranked series: largest first, names looked up, zero rows dropped, the tail summed as other", () => {
  const groups = [
    group("prj_b", 1),
    group("prj_a", 3),
    group(null, 0.5),
    group("prj_zero", 0),
    group("prj_c", 0.25),
    group("prj_d", 0.125),
  ]
  const names: Record<string, string> = { prj_a: "Atlas", prj_b: "Beacon" }
  const options = { nameOf: (id: string) => names[id], noneLabel: "No project", otherLabel: "Other" }
  const all = rankedSeries(groups, "cost", { ...options, limit: 10 })
  assert.deepEqual(
    all.map((datum) => [datum.label, datum.value]),
    [
      ["Atlas", 3],
      ["Beacon", 1],
      ["No project", 0.5],
      ["prj_c", 0.25],
      ["prj_d", 0.125],
    ],
  )
  const top = rankedSeries(groups, "cost", { ...options, limit: 3 })
  assert.deepEqual(
    top.map((datum) => [datum.label, datum.value]),
    [
      ["Atlas", 3],
      ["Beacon", 1],
      ["Other", 0.875],
    ],
  )
  assert.equal(new Set(top.map((datum) => datum.key)).size, 3, "keys stay unique")
})

test("the axis ends at a round number at or above the largest value", () => {
  assert.equal(niceMax(0), 1)
  assert.equal(niceMax(Number.NaN), 1)
  assert.equal(niceMax(0.0042), 0.005)
  assert.equal(niceMax(1), 1)
  assert.equal(niceMax(1.3), 2)
  assert.equal(niceMax(2.2), 2.5)
  assert.equal(niceMax(7), 10)
  assert.equal(niceMax(340), 500)
  assert.deepEqual(axisTicks(10), [0, 2.5, 5, 7.5, 10])
})

test("money, numbers and days follow the locale; tiny amounts keep four digits", () => {
  assert.equal(formatCurrency(1234.5, "en"), "$1,234.50")
  assert.equal(formatCurrency(1234.5, "de"), "1.234,50\u00a0$")
  assert.equal(formatCurrency(0.0042, "en"), "$0.0042")
  assert.equal(formatCurrency(0.0042, "de"), "0,0042\u00a0$")
  assert.equal(formatCurrency(0, "en"), "$0.00")
  assert.equal(formatCount(1234567, "en"), "1,234,567")
  assert.equal(formatCount(1234567, "de"), "1.234.567")
  assert.equal(formatMetric(15000, "tokens", "en", true), "15K")
  assert.equal(formatMetric(15000, "tokens", "de"), "15.000")
  assert.equal(formatMetric(2.5, "cost", "en", true), "$2.50")
  assert.equal(formatDay("2026-12-04", "en"), "Dec 4")
  assert.equal(formatDay("2026-12-04", "de"), "4. Dez.")
})

test("quota bars: share clamped, warn from 80 %, over at the limit, unlimited has no bar", () => {
  assert.deepEqual(quotaFill({ used: 2, limit: 10 }), { share: 0.2, level: "ok" })
  assert.deepEqual(quotaFill({ used: 8, limit: 10 }), { share: 0.8, level: "warn" })
  assert.deepEqual(quotaFill({ used: 12, limit: 10 }), { share: 1, level: "over" })
  assert.deepEqual(quotaFill({ used: 5, limit: null }), { share: 0, level: "unlimited" })
  assert.deepEqual(quotaFill({ used: 0, limit: 0 }), { share: 1, level: "warn" })
  assert.equal(formatPercent(0.0016, "en"), "0.2%")
  assert.equal(formatPercent(0.42, "de"), "42\u00a0%")
  assert.equal(formatPercent(0, "en"), "0%")
  assert.equal(formatQuotaAmount(1.5, "usd", "de"), "1,50\u00a0$")
  assert.equal(formatQuotaAmount(2048, "bytes", "en"), "2 KB")
  assert.equal(formatQuotaAmount(90, "cpu-seconds", "en"), "90 sec")
})
