import type { ChartDatum } from "./usage-data.ts"
import { niceMax } from "./usage-data.ts"

/**
 * Horizontal bars (models, projects): the name and value as text at the page's size, the bar as a
 * small SVG per row, so the chart reads the same in a narrow card and a wide one.
 */
export function ChartBars({
  data,
  format,
}: {
  data: readonly ChartDatum[]
  format: (value: number) => string
}) {
  const max = niceMax(Math.max(0, ...data.map((datum) => datum.value)))
  return (
    <div className="grid grid-cols-[minmax(0,10rem)_1fr_auto] items-center gap-x-3 gap-y-2 text-[13px]">
      {data.map((datum) => (
        <div
          key={datum.key}
          className="contents"
          data-testid="chart-bar"
          data-label={datum.label}
          data-value={datum.value}
        >
          <span className="truncate" title={datum.label}>
            {datum.label}
          </span>
          <svg className="h-3 w-full" role="presentation" viewBox="0 0 100 12" preserveAspectRatio="none">
            <rect x={0} y={0} width={100} height={12} rx={2} className="fill-sunken" />
            <rect
              x={0}
              y={0}
              width={Math.max((datum.value / max) * 100, datum.value > 0 ? 0.5 : 0)}
              height={12}
              rx={2}
              className="fill-accent"
            >
              <title>{`${datum.label}: ${format(datum.value)}`}</title>
            </rect>
          </svg>
          <span className="text-right tabular-nums text-muted">{format(datum.value)}</span>
        </div>
      ))}
    </div>
  )
}
