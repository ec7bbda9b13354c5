import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { idPattern, newId } from "../src/ids.ts"

describe("newId", () => {
  it("is prefixed and matches its pattern", () => {
    const id = newId("prj")
    assert.match(id, idPattern("prj"))
  })

  it("sorts by creation order, also within one millisecond", () => {
    const now = 1_750_000_000_000
    const ids = [newId("evt", now), newId("evt", now), newId("evt", now), newId("evt", now + 1)]
    assert.deepEqual([...ids].sort(), ids)
  })

  it("does not repeat across many calls", () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId("evt")))
    assert.equal(ids.size, 10_000)
  })
})
