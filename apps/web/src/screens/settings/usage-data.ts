import type { UsageTotals } from "@xionimus/protocol"

/** The periods the dashboard offers: the last 7, 30 or 90 days, or the calendar month so far (UTC). */
export const usagePeriods = ["7d", "30d", "90d", "month"] as const
export type UsagePeriod = (typeof usagePeriods)[number]

/** What a chart measures. */
export const usageMetrics = ["cost", "tokens", "calls"] as const
export type UsageMetric = (typeof usageMetrics)[number]

/** A period as the API asks for it (`from` inclusive, `to` exclusive) and the UTC days it covers. */
export interface PeriodRange {
  from: string
  to: string
  days: string[]
}

const dayMs = 86_400_000
const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10)

/** The usage rows' days are UTC dates (`YYYY-MM-DD`), so the periods are counted in UTC days too. */
export function periodRange(period: UsagePeriod, now: Date): PeriodRange {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  const first =
    period === "month"
      ? Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)
      : today - (Number.parseInt(period, 10) - 1) * dayMs
  const days: string[] = []
  for (let time = first; time <= today; time += dayMs) days.push(dayOf(time))
  return { from: new Date(first).toISOString(), to: new Date(today + dayMs).toISOString(), days }
}

/** One bar: a stable key, what it is called, and its value. */
export interface ChartDatum {
  key: string
  label: string
  value: number
}

export type UsageGroup = UsageTotals & { key: string | null }

export function metricOf(totals: UsageTotals, metric: UsageMetric): number {
  if (metric === "cost") return totals.costUsd
  if (metric === "tokens") return totals.inputTokens + totals.outputTokens
  return totals.calls
}

/** One bar per day of the period, in order; days without calls are zero (the API leaves them out). */
export function dailySeries(
  groups: readonly UsageGroup[],
  days: readonly string[],
  metric: UsageMetric,
  labelOf: (day: string) => string,
): ChartDatum[] {
  const byDay = new Map(groups.map((group) => [group.key, group]))
  return days.map((day) => {
    const group = byDay.get(day)
    return { key: day, label: labelOf(day), value: group ? metricOf(group, metric) : 0 }
  })
}

export interface RankOptions {
  /** At most this many bars; the rest are summed into one "other" bar. */
  limit: number
  /** The name of a key (a project's name for its id); the key itself when absent. */
  nameOf?: (key: string) => string | undefined
  /** The label of a group without a key (calls outside any project). */
  noneLabel: string
  otherLabel: string
}

/** Bars for models or projects: largest first, zero rows dropped, the tail beyond `limit` as "other". */
export function rankedSeries(
  groups: readonly UsageGroup[],
  metric: UsageMetric,
  options: RankOptions,
): ChartDatum[] {
  const data = groups
    .map((group) => ({
      key: group.key ?? "",
      label: group.key === null ? options.noneLabel : (options.nameOf?.(group.key) ?? group.key),
      value: metricOf(group, metric),
    }))
    .filter((datum) => datum.value > 0)
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label))
  if (data.length <= options.limit) return data
  const kept = data.slice(0, Math.max(options.limit - 1, 0))
  const rest = data.slice(kept.length)
  const other = rest.reduce((sum, datum) => sum + datum.value, 0)
  return [...kept, { key: "\u0000other", label: options.otherLabel, value: other }]
}

/** The top of a value axis: the next of 1, 2, 2.5, 5 × 10ⁿ at or above the largest value. */
export function niceMax(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value * (1 - 1e-12)) return step * power
  return 10 * power
}

/** Evenly spaced axis values from 0 to `max` (inclusive), `count` intervals. */
export function axisTicks(max: number, count = 4): number[] {
  return Array.from({ length: count + 1 }, (_, index) => (max * index) / count)
}

/** The largest datum (for the chart's description), or null when all are zero. */
export function peakOf(data: readonly ChartDatum[]): ChartDatum | null {
  let peak: ChartDatum | null = null
  for (const datum of data) if (datum.value > 0 && (!peak || datum.value > peak.value)) peak = datum
  return peak
}
