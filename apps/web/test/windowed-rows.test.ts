// The transcript's windowing arithmetic: offsets from measured and estimated heights, and which rows
// meet the viewport.
import assert from "node:assert/strict"
import { test } from "node:test"
import { estimatedRowHeight, rowOffsets, visibleRange } from "../src/screens/chat/windowed-rows.ts"

test("offsets add measured heights and the estimate for rows not measured yet", () => {
  const offsets = rowOffsets(["a", "b", "c"], new Map([["b", 50]]))
  assert.deepEqual(offsets, [0, estimatedRowHeight, estimatedRowHeight + 50, 2 * estimatedRowHeight + 50])
  assert.deepEqual(rowOffsets([], new Map()), [0])
})

test("the visible range covers the viewport and the overscan, at the start, the middle and the end", () => {
  // 2,000 rows of 100 px.
  const ids = Array.from({ length: 2000 }, (_, index) => `m${index}`)
  const offsets = rowOffsets(ids, new Map(ids.map((id) => [id, 100])))
  assert.deepEqual(visibleRange(offsets, 0, 800, 0), { start: 0, end: 8 })
  assert.deepEqual(visibleRange(offsets, 0, 800, 200), { start: 0, end: 10 })
  assert.deepEqual(visibleRange(offsets, 10_050, 800, 0), { start: 100, end: 109 })
  assert.deepEqual(visibleRange(offsets, 10_050, 800, 300), { start: 97, end: 112 })
  assert.deepEqual(visibleRange(offsets, 199_200, 800, 0), { start: 1992, end: 2000 })
  // Scrolled past the end (a list that just shrank): still the last row, never an empty window.
  assert.deepEqual(visibleRange(offsets, 500_000, 800, 0), { start: 1999, end: 2000 })
  assert.deepEqual(visibleRange([0], 0, 800), { start: 0, end: 0 })
})

test("rows of very different heights: the window follows the measured offsets", () => {
  const heights = new Map([
    ["a", 1000],
    ["b", 20],
    ["c", 20],
    ["d", 1000],
  ])
  const offsets = rowOffsets(["a", "b", "c", "d"], heights)
  assert.deepEqual(visibleRange(offsets, 990, 40, 0), { start: 0, end: 3 })
  assert.deepEqual(visibleRange(offsets, 1045, 10, 0), { start: 3, end: 4 })
})
