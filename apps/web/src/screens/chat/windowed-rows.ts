import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from "react"

/** Sessions up to this many messages render every row; longer ones render a window of them. */
export const windowingThreshold = 80
/** The height assumed for a row that has not been on screen yet. */
export const estimatedRowHeight = 140
/** Pixels rendered beyond each edge of the viewport, so that fast scrolling meets rendered rows. */
export const overscanPixels = 1200

/** The top of each row and the total height, from measured heights (or the estimate). */
export function rowOffsets(ids: readonly string[], heights: ReadonlyMap<string, number>): number[] {
  const offsets = new Array<number>(ids.length + 1)
  offsets[0] = 0
  for (let index = 0; index < ids.length; index++)
    offsets[index + 1] = offsets[index]! + (heights.get(ids[index]!) ?? estimatedRowHeight)
  return offsets
}

/**
 * The rows [start, end) that meet the band from `top` to `top + height` (list coordinates), widened by
 * `overscan` on both sides. Binary search: a 2,000-row session costs a dozen steps per scroll.
 */
export function visibleRange(
  offsets: readonly number[],
  top: number,
  height: number,
  overscan = overscanPixels,
): { start: number; end: number } {
  const count = offsets.length - 1
  if (count <= 0) return { start: 0, end: 0 }
  const first = firstRowEndingAfter(offsets, top - overscan)
  let end = first
  const bottom = top + height + overscan
  while (end < count && offsets[end]! < bottom) end++
  return { start: Math.min(first, count - 1), end: Math.max(end, Math.min(first + 1, count)) }
}

function firstRowEndingAfter(offsets: readonly number[], position: number): number {
  let low = 0
  let high = offsets.length - 2
  while (low < high) {
    const middle = (low + high) >> 1
    if (offsets[middle + 1]! <= position) low = middle + 1
    else high = middle
  }
  return Math.max(0, low)
}

/**
 * Windowing for a scrolling list of rows keyed by id: measures rendered rows (ResizeObserver), keeps
 * the viewport in list coordinates, and says which rows to render and how much space to leave above and
 * below them. `enabled` false renders everything (short lists, and jsdom which has no layout).
 */
export function useWindowedRows(
  ids: readonly string[],
  scroller: React.RefObject<HTMLElement | null>,
  list: React.RefObject<HTMLElement | null>,
  enabled: boolean,
) {
  const heights = useRef(new Map<string, number>())
  const [, remeasured] = useReducer((count: number) => count + 1, 0)
  const [viewport, setViewport] = useState({ top: 0, height: 0 })
  const frame = useRef(0)

  const readViewport = useCallback(() => {
    const element = scroller.current
    const listElement = list.current
    if (!element || !listElement) return
    // The list's top inside the scroller's content: the banner and notices above it move it down.
    const listTop =
      listElement.getBoundingClientRect().top - element.getBoundingClientRect().top + element.scrollTop
    setViewport((previous) => {
      const next = { top: element.scrollTop - listTop, height: element.clientHeight }
      return previous.top === next.top && previous.height === next.height ? previous : next
    })
  }, [scroller, list])

  useLayoutEffect(() => {
    if (!enabled) return
    const element = scroller.current
    if (!element) return
    readViewport()
    const onScroll = () => {
      cancelAnimationFrame(frame.current)
      frame.current = requestAnimationFrame(readViewport)
    }
    element.addEventListener("scroll", onScroll, { passive: true })
    const observer = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(onScroll)
    observer?.observe(element)
    return () => {
      cancelAnimationFrame(frame.current)
      element.removeEventListener("scroll", onScroll)
      observer?.disconnect()
    }
  }, [enabled, scroller, readViewport])

  const measureFrame = useRef(0)
  const measure = useCallback((id: string, height: number) => {
    if (height <= 0 || heights.current.get(id) === height) return
    heights.current.set(id, height)
    cancelAnimationFrame(measureFrame.current)
    measureFrame.current = requestAnimationFrame(() => remeasured())
  }, [])
  useEffect(() => () => cancelAnimationFrame(measureFrame.current), [])

  if (!enabled) return { start: 0, end: ids.length, before: 0, after: 0, measure: null }
  const offsets = rowOffsets(ids, heights.current)
  const { start, end } = visibleRange(offsets, viewport.top, viewport.height || window.innerHeight)
  return {
    start,
    end,
    before: offsets[start]!,
    after: offsets[ids.length]! - offsets[end]!,
    measure,
  }
}
