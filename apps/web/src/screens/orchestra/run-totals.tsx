import type { RunState, RunUsage } from "@xionimus/protocol"
import { useT } from "../../app-context.tsx"
import { usageRows } from "../../stores/orchestra-view.ts"
import { useFormatters } from "./use-formatters.ts"

function UsageTable({
  caption,
  rows,
  labels = {},
  testId,
}: {
  caption: string
  rows: { key: string; usage: RunUsage }[]
  /** A name to show for a key (a package's title); the key itself is the tooltip. */
  labels?: Record<string, string>
  testId: string
}) {
  const t = useT()
  const format = useFormatters()
  const head = "px-2 py-1.5 text-left text-xs font-medium text-muted whitespace-nowrap"
  const cell = "px-2 py-1.5 whitespace-nowrap tabular-nums"
  return (
    <table className="w-full text-[13px]" data-testid={testId}>
      <caption className="pb-1 text-left text-xs font-semibold text-muted uppercase">{caption}</caption>
      <thead>
        <tr className="border-b border-line">
          <th scope="col" className={head}>
            {t("run.totals.name")}
          </th>
          <th scope="col" className={`${head} text-right`}>
            {t("run.spans.tokens")}
          </th>
          <th scope="col" className={`${head} text-right`}>
            {t("run.totals.calls")}
          </th>
          <th scope="col" className={`${head} text-right`}>
            {t("run.spans.cost")}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ key, usage }) => (
          <tr key={key} className="border-b border-line last:border-0" data-testid="total-row" data-key={key}>
            <th scope="row" className={`${cell} text-left font-normal`} title={labels[key] ? key : undefined}>
              {labels[key] ?? key}
            </th>
            <td className={`${cell} text-right`}>
              {format.tokens(usage.inputTokens)} / {format.tokens(usage.outputTokens)}
            </td>
            <td className={`${cell} text-right`}>{format.number(usage.modelCalls)}</td>
            <td className={`${cell} text-right`} data-testid="total-cost">
              {format.cost(usage.costUsd)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** Totals of the whole run, per role and per package. */
export function RunTotals({ state }: { state: RunState }) {
  const t = useT()
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2" data-testid="totals">
      <div className="relative overflow-x-auto">
        <UsageTable
          caption={t("run.totals.byRole")}
          rows={[...usageRows(state.totals.byRole), { key: t("run.totals.run"), usage: state.totals.run }]}
          testId="totals-by-role"
        />
      </div>
      <div className="relative overflow-x-auto">
        <UsageTable
          caption={t("run.totals.byPackage")}
          rows={usageRows(state.totals.byPackage)}
          labels={Object.fromEntries(state.packages.map((item) => [item.id, item.title]))}
          testId="totals-by-package"
        />
      </div>
    </div>
  )
}
