import { useEffect, useRef, useState } from "react"
import { axisTicks, type ChartDatum, niceMax } from "./usage-data.ts"

const height = 200
const left = 64
const bottom = 24
const top = 8
const plotHeight = height - top - bottom
/** The width of a day label in pixels, to show as many as fit. */
const labelSpace = 56

/** Vertical bars in our own SVG (one per day), with a value axis; each bar has a tooltip. */
export function ChartColumns({
  data,
  format,
  formatAxis,
}: {
  data: readonly ChartDatum[]
  format: (value: number) => string
  formatAxis: (value: number) => string
}) {
  const frame = useRef<HTMLDivElement>(null)
  // The SVG is drawn in the pixels it occupies, so its text keeps the page's size at any width.
  const [width, setWidth] = useState(640)
  useEffect(() => {
    const element = frame.current
    if (!element || typeof ResizeObserver === "undefined") return
    const observer = new ResizeObserver(([entry]) => {
      if (entry && entry.contentRect.width > 0) setWidth(Math.round(entry.contentRect.width))
    })
    observer.observe(element)
    return () => observer.disconnect()
  }, [])
  const plotWidth = width - left - 8
  const max = niceMax(Math.max(0, ...data.map((datum) => datum.value)))
  const ticks = axisTicks(max)
  const slot = plotWidth / Math.max(data.length, 1)
  const barWidth = Math.max(slot * 0.7, 1)
  const labelEvery = Math.max(1, Math.ceil(data.length / Math.max(1, Math.floor(plotWidth / labelSpace))))
  const y = (value: number) => top + plotHeight - (value / max) * plotHeight
  return (
    <div ref={frame}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        className="block max-w-full"
        role="presentation"
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line
              x1={left}
              x2={width - 8}
              y1={y(tick)}
              y2={y(tick)}
              className="stroke-line"
              strokeWidth={1}
            />
            <text x={left - 6} y={y(tick) + 4} textAnchor="end" className="fill-muted text-[11px]">
              {formatAxis(tick)}
            </text>
          </g>
        ))}
        {data.map((datum, index) => {
          const x = left + index * slot + (slot - barWidth) / 2
          const barHeight = (datum.value / max) * plotHeight
          return (
            <g key={datum.key} data-testid="chart-column" data-value={datum.value}>
              <rect
                x={x}
                y={y(datum.value)}
                width={barWidth}
                height={Math.max(barHeight, datum.value > 0 ? 1 : 0)}
                rx={Math.min(2, barWidth / 2)}
                className="fill-accent"
              >
                <title>{`${datum.label}: ${format(datum.value)}`}</title>
              </rect>
              {index % labelEvery === 0 ? (
                <text
                  x={x + barWidth / 2}
                  y={height - 6}
                  textAnchor="middle"
                  className="fill-muted text-[11px]"
                >
                  {datum.label}
                </text>
              ) : null}
            </g>
          )
        })}
      </svg>
    </div>
  )
}
