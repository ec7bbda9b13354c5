import assert from "node:assert/strict"
import { test } from "node:test"
import { createActionRegistry, fuzzyFilter } from "../src/lib/actions.ts"

test("run calls only available actions, and unregister removes them", () => {
  const registry = createActionRegistry()
  const ran: string[] = []
  const unregister = registry.register({ id: "a", title: "t.a", run: () => ran.push("a") })
  registry.register({ id: "b", title: "t.b", run: () => ran.push("b"), when: () => false })
  assert.equal(registry.run("b"), false)
  assert.equal(registry.run("a"), true)
  assert.deepEqual(ran, ["a"])
  assert.deepEqual(
    registry.available().map((action) => action.id),
    ["a"],
  )
  unregister()
  assert.equal(registry.run("a"), false)
})

test("fuzzy filter keeps in-order matches, tightest first", () => {
  const titles = ["Toggle theme", "New project", "Open terminal"]
  assert.deepEqual(
    fuzzyFilter("term", titles, (title) => title),
    ["Open terminal"],
  )
  assert.deepEqual(
    fuzzyFilter("np", titles, (title) => title),
    ["New project"],
  )
  assert.deepEqual(
    fuzzyFilter("", titles, (title) => title),
    titles,
  )
  assert.deepEqual(
    fuzzyFilter("zz", titles, (title) => title),
    [],
  )
})
