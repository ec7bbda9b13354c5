import { type ReactNode, useId, useState } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import type { ChartDatum } from "./usage-data.ts"

/**
 * A chart's frame: a caption, the picture, and the same numbers as a table. The table is always in the
 * accessibility tree (screen readers read it instead of the picture); "Show table" shows it on screen too.
 */
export function ChartFrame({
  title,
  columnLabel,
  valueLabel,
  data,
  format,
  testId,
  children,
}: {
  title: string
  /** The header of the first column ("Day", "Model", "Project"). */
  columnLabel: string
  valueLabel: string
  data: readonly ChartDatum[]
  format: (value: number) => string
  testId: string
  children: ReactNode
}) {
  const t = useT()
  const captionId = useId()
  const tableId = useId()
  const [showTable, setShowTable] = useState(false)
  return (
    <figure
      aria-labelledby={captionId}
      data-testid={testId}
      className="flex min-w-0 flex-col gap-3 rounded-xl border border-line bg-surface p-4 shadow-xs"
    >
      <div className="flex items-center justify-between gap-2">
        <figcaption id={captionId} className="font-semibold">
          {title}
        </figcaption>
        <Button
          size="sm"
          variant="ghost"
          aria-expanded={showTable}
          aria-controls={tableId}
          data-testid={`${testId}-toggle-table`}
          onClick={() => setShowTable((shown) => !shown)}
        >
          {showTable ? t("settings.usage.hideTable") : t("settings.usage.showTable")}
        </Button>
      </div>
      <div aria-hidden="true">{children}</div>
      <table
        id={tableId}
        data-testid={`${testId}-table`}
        className={showTable ? "w-full text-[13px]" : "sr-only"}
      >
        <caption className="sr-only">{title}</caption>
        <thead>
          <tr className="border-b border-line text-left text-muted">
            <th scope="col" className="py-1 font-medium">
              {columnLabel}
            </th>
            <th scope="col" className="py-1 text-right font-medium">
              {valueLabel}
            </th>
          </tr>
        </thead>
        <tbody>
          {data.map((datum) => (
            <tr key={datum.key} className="border-b border-line last:border-0">
              <th scope="row" className="max-w-0 truncate py-1 text-left font-normal">
                {datum.label}
              </th>
              <td className="py-1 text-right tabular-nums">{format(datum.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}
