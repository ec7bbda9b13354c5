import assert from "node:assert/strict"
import { test } from "node:test"
import { greeting } from "../src/greeting.ts"

test("greets by name", () => {
  assert.equal(greeting({ name: "Ada" }), "Hello, Ada.")
})

test("greets the world when the name is blank", () => {
  assert.equal(greeting({ name: "  ", excited: true }), "Hello, world!")
})
