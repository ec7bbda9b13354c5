/**
 * The audit log's time range as the filter shows it (whole local days, both inclusive) and as the API
 * takes it (`from` ≤ time < `to`, ISO 8601 instants).
 */

const pad = (value: number) => String(value).padStart(2, "0")

/** `yyyy-mm-dd` of a local day → the instant it starts. */
function startOf(day: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day)
  if (!match) return null
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]))
  return Number.isNaN(date.getTime()) ? null : date
}

const dayOf = (date: Date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`

/** The API range of the days picked; an empty day leaves that side open. */
export function rangeOfDays(fromDay: string, toDay: string): { from?: string; to?: string } {
  const from = startOf(fromDay)
  const to = startOf(toDay)
  if (to) to.setDate(to.getDate() + 1)
  return { ...(from ? { from: from.toISOString() } : {}), ...(to ? { to: to.toISOString() } : {}) }
}

/** The days a stored range shows as (the inverse of `rangeOfDays`). */
export function daysOfRange(range: { from?: string; to?: string }): { fromDay: string; toDay: string } {
  const last = range.to ? new Date(range.to) : null
  if (last) last.setDate(last.getDate() - 1)
  return { fromDay: range.from ? dayOf(new Date(range.from)) : "", toDay: last ? dayOf(last) : "" }
}

/** Whether the days are in order (an open side always is). */
export function daysInOrder(fromDay: string, toDay: string): boolean {
  return !fromDay || !toDay || fromDay <= toDay
}
