import type { UsageTotals } from "@xionimus/protocol"
import { useLocale, useT } from "../../app-context.tsx"
import { formatCount, formatCurrency } from "./usage-format.ts"

/** The period's totals: cost, calls, input and output tokens. */
export function UsageTotalsRow({ totals }: { totals: UsageTotals }) {
  const t = useT()
  const locale = useLocale()
  const items = [
    { key: "cost", label: t("settings.usage.totalCost"), value: formatCurrency(totals.costUsd, locale) },
    { key: "calls", label: t("settings.usage.totalCalls"), value: formatCount(totals.calls, locale) },
    { key: "input", label: t("settings.usage.totalInput"), value: formatCount(totals.inputTokens, locale) },
    {
      key: "output",
      label: t("settings.usage.totalOutput"),
      value: formatCount(totals.outputTokens, locale),
    },
  ]
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="usage-totals">
      {items.map((item) => (
        <div key={item.key} className="rounded-xl border border-line bg-surface px-4 py-3 shadow-xs">
          <dt className="text-[13px] text-muted">{item.label}</dt>
          <dd className="mt-1 text-lg font-semibold tabular-nums" data-testid={`usage-total-${item.key}`}>
            {item.value}
          </dd>
        </div>
      ))}
    </dl>
  )
}
