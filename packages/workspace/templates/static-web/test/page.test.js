import assert from "node:assert/strict"
import { existsSync, readFileSync } from "node:fs"
import { test } from "node:test"
import { greeting } from "../script.js"

const root = new URL("../", import.meta.url)
const html = readFileSync(new URL("index.html", root), "utf8")

test("the page has a title and the greeting", () => {
  assert.match(html, /<title>[^<]+<\/title>/)
  assert.match(html, /id="greeting"/)
})

test("every stylesheet and script the page names exists", () => {
  const references = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((match) => match[1])
  assert.ok(references.includes("style.css"))
  assert.ok(references.includes("script.js"))
  for (const reference of references) assert.ok(existsSync(new URL(reference, root)), reference)
})

test("greeting() names the person, or the world", () => {
  assert.equal(greeting("Ada"), "Hello, Ada.")
  assert.equal(greeting("   "), "Hello, world.")
})
