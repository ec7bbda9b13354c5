import assert from "node:assert/strict"
import { test } from "node:test"
import { pathHint, runCommandFor } from "../src/lib/code-block.ts"

test("a code block's file: from the fence's info, else a first-line comment, else none", () => {
  assert.equal(pathHint("src/app.ts", "x"), "src/app.ts")
  assert.equal(pathHint('title="lib/util.py"', "x"), "lib/util.py")
  assert.equal(pathHint("file=./main.go", "x"), "main.go")
  assert.equal(pathHint("", "// src/index.js\nconsole.log(1)"), "src/index.js")
  assert.equal(pathHint("", "# file: app.py\nprint(1)"), "app.py")
  assert.equal(pathHint("", "/workspace/notes.md"), "")
  assert.equal(pathHint("{highlight: 2}", "const x = 1"), "")
  assert.equal(pathHint("", "# a heading, not a file\n"), "")
})

test("what runs: shell scripts (prompts dropped), Python and JavaScript by interpreter; nothing else", () => {
  assert.equal(runCommandFor("sh", "$ npm test\n$ ls"), "npm test\nls")
  assert.equal(runCommandFor("Bash", "echo hi"), "echo hi")
  assert.deepEqual(runCommandFor("python", "print(1)"), ["python3", "-c", "print(1)"])
  assert.deepEqual(runCommandFor("js", "console.log(1)"), ["node", "-e", "console.log(1)"])
  assert.equal(runCommandFor("ts", "let x: number = 1"), null)
  assert.equal(runCommandFor("json", "{}"), null)
  assert.equal(runCommandFor("sh", "   "), null)
})
