import assert from "node:assert/strict"
import { test } from "node:test"
import { highlight } from "../src/screens/chat/highlight-code.ts"

test("code blocks are coloured by the editor's grammars; the text stays exactly the same", async () => {
  const code = 'const answer = 42 // why\nconsole.log("hi")'
  const tokens = await highlight("ts", code)
  assert.ok(tokens)
  assert.equal(tokens.map((token) => token.text).join(""), code)
  const classOf = (text: string) => tokens.find((token) => token.text === text)?.classes ?? ""
  assert.match(classOf("const"), /tok-keyword/)
  assert.match(classOf("42"), /tok-number/)
  assert.match(classOf('"hi"'), /tok-string/)
  assert.match(classOf("// why"), /tok-comment/)
  const python = await highlight("python", "def f():\n    return 'x'")
  assert.match(python?.find((token) => token.text === "def")?.classes ?? "", /tok-keyword/)
})

test("unknown languages, no language and very long blocks stay plain", async () => {
  assert.equal(await highlight("no-such-language", "x"), null)
  assert.equal(await highlight("", "x"), null)
  assert.equal(await highlight("ts", "x".repeat(20_001)), null)
})
