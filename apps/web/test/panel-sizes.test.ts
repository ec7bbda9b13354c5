import assert from "node:assert/strict"
import { test } from "node:test"
import {
  clampSize,
  createPanelLayout,
  keyStep,
  openKey,
  panelSpecs,
  sizeKey,
} from "../src/lib/panel-sizes.ts"

/** localStorage's shape over a Map; `failing` makes every call throw, as private modes do. */
function memoryStorage(failing = false): Storage & { data: Map<string, string> } {
  const data = new Map<string, string>()
  const guard = () => {
    if (failing) throw new Error("SecurityError")
  }
  return {
    data,
    get length() {
      return data.size
    },
    clear: () => data.clear(),
    key: (index: number) => [...data.keys()][index] ?? null,
    getItem: (key: string) => {
      guard()
      return data.get(key) ?? null
    },
    setItem: (key: string, value: string) => {
      guard()
      data.set(key, value)
    },
    removeItem: (key: string) => {
      guard()
      data.delete(key)
    },
  }
}

test("clampSize keeps a size within the panel's bounds and the room on screen", () => {
  const spec = { initial: 300, min: 200, max: 500 }
  assert.equal(clampSize(350.4, spec), 350)
  assert.equal(clampSize(10, spec), 200)
  assert.equal(clampSize(9000, spec), 500)
  assert.equal(clampSize(450, spec, 400), 400, "the screen's limit is below the panel's maximum")
  assert.equal(clampSize(450, spec, 120), 200, "a limit below the minimum yields the minimum")
  assert.equal(clampSize(Number.NaN, spec), 300)
  assert.equal(clampSize(Number.POSITIVE_INFINITY, spec), 300)
  assert.equal(keyStep(false) < keyStep(true), true)
})

test("sizes and open flags are remembered per panel and read back by the next layout", () => {
  const storage = memoryStorage()
  const first = createPanelLayout(storage)
  assert.deepEqual(first.state.get().sizes, {
    tree: panelSpecs.tree.initial,
    activity: panelSpecs.activity.initial,
    terminal: panelSpecs.terminal.initial,
  })
  assert.deepEqual(first.state.get().open, { tree: true, activity: false, terminal: false })

  assert.equal(first.resize("tree", 333), 333)
  assert.equal(first.resize("terminal", 5000, 400), 400)
  first.toggle("terminal")
  first.setOpen("tree", false)
  assert.equal(storage.data.get(sizeKey("tree")), "333")
  assert.equal(storage.data.get(openKey("terminal")), "true")

  const second = createPanelLayout(storage)
  assert.equal(second.state.get().sizes.tree, 333)
  assert.equal(second.state.get().sizes.terminal, 400)
  assert.equal(second.state.get().sizes.activity, panelSpecs.activity.initial)
  assert.deepEqual(second.state.get().open, { tree: false, activity: false, terminal: true })
})

test("reset goes back to the initial size and forgets the stored one", () => {
  const storage = memoryStorage()
  const layout = createPanelLayout(storage)
  layout.resize("activity", 480)
  layout.reset("activity")
  assert.equal(layout.state.get().sizes.activity, panelSpecs.activity.initial)
  assert.equal(storage.data.has(sizeKey("activity")), false)
  assert.equal(createPanelLayout(storage).state.get().sizes.activity, panelSpecs.activity.initial)
})

test("stored values that are out of bounds or not numbers are clamped or ignored", () => {
  const storage = memoryStorage()
  storage.data.set(sizeKey("tree"), "12")
  storage.data.set(sizeKey("activity"), "wide")
  storage.data.set(sizeKey("terminal"), "99999")
  storage.data.set(openKey("activity"), "maybe")
  const layout = createPanelLayout(storage)
  assert.equal(layout.state.get().sizes.tree, panelSpecs.tree.min)
  assert.equal(layout.state.get().sizes.activity, panelSpecs.activity.initial)
  assert.equal(layout.state.get().sizes.terminal, panelSpecs.terminal.max)
  assert.equal(layout.state.get().open.activity, false)
})

test("a storage that throws (private mode) or none at all still gives a working layout", () => {
  for (const storage of [memoryStorage(true), null]) {
    const layout = createPanelLayout(storage)
    assert.equal(layout.resize("tree", 400), 400)
    layout.toggle("activity")
    assert.equal(layout.state.get().sizes.tree, 400)
    assert.equal(layout.state.get().open.activity, true)
  }
})

test("subscribers hear a change once; setting the same value again is no change", () => {
  const layout = createPanelLayout(memoryStorage())
  let calls = 0
  const stop = layout.state.subscribe(() => {
    calls += 1
  })
  layout.resize("tree", 300)
  layout.resize("tree", 300)
  layout.setOpen("tree", true)
  stop()
  assert.equal(calls, 1)
})
