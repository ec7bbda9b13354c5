import { type KeyboardEvent, type PointerEvent, useRef } from "react"
import { keyStep } from "../../lib/panel-sizes.ts"

export interface ResizeHandleProps {
  /** "vertical": a separator between side-by-side panels (drags left/right); "horizontal": above a bottom panel. */
  orientation: "vertical" | "horizontal"
  label: string
  /** The panel's current size in pixels. */
  value: number
  min: number
  max: number
  /** +1 when moving the separator right/down grows the panel (a left panel), -1 otherwise. */
  grow: 1 | -1
  onResize(size: number): void
  onReset(): void
  /** The id of the panel it resizes. */
  controls: string
  testId: string
}

/**
 * A focusable window splitter (WAI-ARIA "separator"): drag it with a pointer, move it with the arrow keys
 * (Shift for bigger steps), Home/End for the smallest and largest size, double-click for the initial size.
 */
export function ResizeHandle(props: ResizeHandleProps) {
  const { orientation, label, value, min, max, grow, onResize, onReset, controls, testId } = props
  const drag = useRef<{ pointerId: number; start: number; value: number } | null>(null)
  const vertical = orientation === "vertical"
  const coordinate = (event: PointerEvent) => (vertical ? event.clientX : event.clientY)

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return
    event.preventDefault()
    event.currentTarget.focus()
    event.currentTarget.setPointerCapture(event.pointerId)
    drag.current = { pointerId: event.pointerId, start: coordinate(event), value }
  }
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const current = drag.current
    if (!current || current.pointerId !== event.pointerId) return
    onResize(current.value + grow * (coordinate(event) - current.start))
  }
  const onPointerEnd = (event: PointerEvent<HTMLDivElement>) => {
    if (drag.current?.pointerId !== event.pointerId) return
    drag.current = null
    if (event.currentTarget.hasPointerCapture(event.pointerId)) {
      event.currentTarget.releasePointerCapture(event.pointerId)
    }
  }
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = keyStep(event.shiftKey)
    const forward = vertical ? "ArrowRight" : "ArrowDown"
    const backward = vertical ? "ArrowLeft" : "ArrowUp"
    let next: number | null = null
    if (event.key === forward) next = value + grow * step
    else if (event.key === backward) next = value - grow * step
    else if (event.key === "Home") next = min
    else if (event.key === "End") next = max
    if (next === null) return
    event.preventDefault()
    onResize(next)
  }

  return (
    // biome-ignore lint/a11y/useSemanticElements: <hr> cannot take focus or be dragged; a focusable separator is the ARIA window splitter pattern.
    <div
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-controls={controls}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuetext={`${value} px`}
      tabIndex={0}
      title={label}
      data-testid={testId}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerEnd}
      onPointerCancel={onPointerEnd}
      onDoubleClick={onReset}
      onKeyDown={onKeyDown}
      className={`group relative z-10 shrink-0 touch-none outline-none select-none ${
        vertical ? "-mx-1 w-2 cursor-col-resize" : "-my-1 h-2 cursor-row-resize"
      }`}
    >
      <span
        aria-hidden="true"
        className={`absolute bg-line transition-colors group-hover:bg-accent group-focus-visible:bg-accent group-active:bg-accent ${
          vertical
            ? "inset-y-0 left-1/2 w-px -translate-x-1/2 group-focus-visible:w-0.5"
            : "inset-x-0 top-1/2 h-px -translate-y-1/2 group-focus-visible:h-0.5"
        }`}
      />
    </div>
  )
}
