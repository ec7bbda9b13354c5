import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { DisposerStack, once } from "../src/dispose.ts"

describe("DisposerStack", () => {
  it("releases in reverse order, once", async () => {
    const order: number[] = []
    const stack = new DisposerStack()
    stack.add(() => void order.push(1))
    stack.add(async () => void order.push(2))
    await stack.dispose()
    await stack.dispose()
    assert.deepEqual(order, [2, 1])
  })

  it("runs every disposer even when some fail, then reports the failures", async () => {
    const ran: string[] = []
    const stack = new DisposerStack()
    stack.add(() => void ran.push("a"))
    stack.add(() => {
      throw new Error("b failed")
    })
    stack.add(() => {
      throw new Error("c failed")
    })
    await assert.rejects(stack.dispose(), AggregateError)
    assert.deepEqual(ran, ["a"])
  })

  it("releases at once what is added after disposal", async () => {
    const stack = new DisposerStack()
    await stack.dispose()
    let released = false
    stack.add(() => {
      released = true
    })
    assert.ok(released)
  })
})

describe("once", () => {
  it("calls the disposer a single time", () => {
    let calls = 0
    const dispose = once(() => {
      calls++
    })
    dispose()
    dispose()
    assert.equal(calls, 1)
  })
})
