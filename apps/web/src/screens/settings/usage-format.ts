import type { QuotaUsage } from "@xionimus/protocol"
import { formatBytes } from "../../lib/format.ts"
import type { UsageMetric } from "./usage-data.ts"

/** US dollars in the reader's locale; amounts below a cent keep four digits so they do not read as zero. */
export function formatCurrency(usd: number, locale: string): string {
  const small = usd !== 0 && Math.abs(usd) < 0.01
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: 2,
    maximumFractionDigits: small ? 4 : 2,
  }).format(usd)
}

/** 1234567 → "1,234,567" / "1.234.567". */
export function formatCount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value)
}

/** Axis labels: "1.2K" / "1234" style compact numbers. */
export function formatCompact(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(value)
}

/** A value of a metric as text (axis labels compact, everything else in full). */
export function formatMetric(value: number, metric: UsageMetric, locale: string, compact = false): string {
  if (metric === "cost") {
    return compact && value >= 1000
      ? new Intl.NumberFormat(locale, {
          style: "currency",
          currency: "USD",
          notation: "compact",
          maximumFractionDigits: 1,
        }).format(value)
      : formatCurrency(value, locale)
  }
  return compact ? formatCompact(value, locale) : formatCount(value, locale)
}

/** A UTC day ("2026-12-04") as "Dec 4" / "4. Dez.". */
export function formatDay(day: string, locale: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(locale, {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  })
}

/** A quota's amount in its unit. */
export function formatQuotaAmount(value: number, unit: QuotaUsage["unit"], locale: string): string {
  if (unit === "usd") return formatCurrency(value, locale)
  if (unit === "bytes") return formatBytes(value, locale)
  return new Intl.NumberFormat(locale, { style: "unit", unit: "second", maximumFractionDigits: 0 }).format(
    value,
  )
}

export type QuotaLevel = "unlimited" | "ok" | "warn" | "over"

/** How full a quota is: the bar's share (0..1) and a level (warn from 80 %, over at the limit). */
export function quotaFill(quota: Pick<QuotaUsage, "used" | "limit">): { share: number; level: QuotaLevel } {
  if (quota.limit === null) return { share: 0, level: "unlimited" }
  if (quota.limit <= 0) return { share: 1, level: quota.used > 0 ? "over" : "warn" }
  const ratio = quota.used / quota.limit
  const share = Math.min(Math.max(ratio, 0), 1)
  return { share, level: ratio >= 1 ? "over" : ratio >= 0.8 ? "warn" : "ok" }
}

/** 0.423 → "42%" / "42 %" per locale; below 10 % one decimal, so a small share does not read as 0. */
export function formatPercent(share: number, locale: string): string {
  const digits = share > 0 && share < 0.1 ? 1 : 0
  return new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: digits }).format(share)
}
