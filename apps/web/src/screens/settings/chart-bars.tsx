import { type ChartDatum, niceMax } from "./usage-data.ts"

const width = 640
const rowHeight = 28
const labelWidth = 200
const valueWidth = 96
const barArea = width - labelWidth - valueWidth - 16

/** Horizontal bars in our own SVG (models, projects): name, bar, value. */
export function ChartBars({
  data,
  format,
}: {
  data: readonly ChartDatum[]
  format: (value: number) => string
}) {
  const max = niceMax(Math.max(0, ...data.map((datum) => datum.value)))
  const height = Math.max(data.length, 1) * rowHeight
  return (
    <svg viewBox={`0 0 ${width} ${height}`} className="h-auto w-full" role="presentation">
      {data.map((datum, index) => {
        const y = index * rowHeight
        const barWidth = Math.max((datum.value / max) * barArea, datum.value > 0 ? 2 : 0)
        return (
          <g key={datum.key} data-testid="chart-bar" data-label={datum.label} data-value={datum.value}>
            <text x={0} y={y + 18} className="fill-fg text-[12px]">
              {shorten(datum.label, 30)}
            </text>
            <rect
              x={labelWidth}
              y={y + 6}
              width={barWidth}
              height={rowHeight - 12}
              rx={3}
              className="fill-accent"
            >
              <title>{`${datum.label}: ${format(datum.value)}`}</title>
            </rect>
            <text x={width} y={y + 18} textAnchor="end" className="fill-muted text-[12px] tabular-nums">
              {format(datum.value)}
            </text>
          </g>
        )
      })}
    </svg>
  )
}

function shorten(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text
}
