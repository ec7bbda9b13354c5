import assert from "node:assert/strict"
import { mkdir, readFile as readHostFile, symlink, writeFile as writeHostFile } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import { edit } from "../src/edit.ts"
import { list } from "../src/list.ts"
import { readFile } from "../src/read-file.ts"
import type { ToolOutcome } from "../src/types.ts"
import { writeFile } from "../src/write-file.ts"
import { createToolFixture, text } from "./tool-fixture.ts"

function completed(outcome: ToolOutcome) {
  assert.equal(outcome.status, "completed", outcome.status === "error" ? outcome.error : "")
  return outcome as Extract<ToolOutcome, { status: "completed" }>
}
function failed(outcome: ToolOutcome, code: string) {
  assert.equal(outcome.status, "error")
  const error = outcome as Extract<ToolOutcome, { status: "error" }>
  assert.equal(error.code, code, error.error)
  return error
}

test("read_file numbers lines, reads ranges and says how to read on", async () => {
  await using fixture = await createToolFixture()
  const lines = Array.from({ length: 30 }, (_, index) => `line ${index + 1}`)
  await fixture.files.write("a.txt", text(`${lines.join("\n")}\n`))
  const whole = completed(await readFile.run({ path: "a.txt" }, fixture.context()))
  assert.equal(whole.output.split("\n")[0], "1\tline 1")
  assert.equal(whole.output.split("\n").length, 30)
  const part = completed(await readFile.run({ path: "a.txt", offset: 10, limit: 5 }, fixture.context()))
  assert.deepEqual(part.output.split("\n").slice(0, 5), [
    "10\tline 10",
    "11\tline 11",
    "12\tline 12",
    "13\tline 13",
    "14\tline 14",
  ])
  assert.match(part.output, /Lines 10-14 of 30\. Call read_file with offset=15 to read on\./)
  const past = failed(
    await readFile.run({ path: "a.txt", offset: 31 }, fixture.context()),
    "VALIDATION_FAILED",
  )
  assert.match(past.error, /has 30 lines/)
  assert.deepEqual(
    fixture.asked.map((ask) => [ask.kind, ask.patterns]),
    [
      ["read", ["a.txt"]],
      ["read", ["a.txt"]],
      ["read", ["a.txt"]],
    ],
    "reads ask (every mode allows them) so that deny rules apply",
  )
})

test("read_file refuses binary files, missing files and links out of the workspace", async () => {
  await using fixture = await createToolFixture()
  await fixture.files.write("image.bin", new Uint8Array([0x89, 0x50, 0x00, 0x01]))
  failed(await readFile.run({ path: "image.bin" }, fixture.context()), "FILE_NOT_TEXT")
  failed(await readFile.run({ path: "missing.txt" }, fixture.context()), "FILE_NOT_FOUND")
  const outside = join(fixture.directory, "secret.txt")
  await writeHostFile(outside, "secret")
  await symlink(outside, join(fixture.workspace, "evil"))
  const escaped = failed(await readFile.run({ path: "evil" }, fixture.context()), "PATH_OUTSIDE_WORKSPACE")
  assert.doesNotMatch(escaped.error, /secret"/)
  failed(await readFile.run({ path: "../secret.txt" }, fixture.context()), "PATH_INVALID")
})

test("write_file creates and replaces files after asking for the path", async () => {
  await using fixture = await createToolFixture()
  const created = completed(await writeFile.run({ path: "src/new.ts", content: "a\nb\n" }, fixture.context()))
  assert.match(created.output, /Created "src\/new.ts" \(2 lines/)
  assert.deepEqual(created.metadata.changes, [{ path: "src/new.ts", change: "created" }])
  const replaced = completed(await writeFile.run({ path: "src/new.ts", content: "c" }, fixture.context()))
  assert.deepEqual(replaced.metadata.changes, [{ path: "src/new.ts", change: "updated" }])
  assert.equal(await readHostFile(join(fixture.workspace, "src/new.ts"), "utf8"), "c")
  assert.deepEqual(
    fixture.asked.map((ask) => [ask.tool, ask.kind, ask.patterns]),
    [
      ["write_file", "edit", ["src/new.ts"]],
      ["write_file", "edit", ["src/new.ts"]],
    ],
  )
})

test("edit replaces text that occurs once, several edits at once", async () => {
  await using fixture = await createToolFixture()
  await fixture.files.write("app.ts", text("const a = 1\nconst b = 2\nexport { a, b }\n"))
  const outcome = completed(
    await edit.run(
      {
        path: "app.ts",
        edits: [
          { oldText: "const a = 1", newText: "const a = 10" },
          { oldText: "const a = 10\nconst b = 2", newText: "const a = 10\nconst b = 20" },
        ],
      },
      fixture.context(),
    ),
  )
  assert.equal(outcome.output, 'Applied 2 edits to "app.ts".')
  assert.equal(
    await readHostFile(join(fixture.workspace, "app.ts"), "utf8"),
    "const a = 10\nconst b = 20\nexport { a, b }\n",
  )
})

test("edit names how often and where an ambiguous text occurs, and applies nothing", async () => {
  await using fixture = await createToolFixture()
  const original = "x = 1\ny = 2\nx = 1\nz = 3\nx = 1\n"
  await fixture.files.write("f.py", text(original))
  const error = failed(
    await edit.run(
      {
        path: "f.py",
        edits: [
          { oldText: "y = 2", newText: "y = 3" },
          { oldText: "x = 1", newText: "x = 4" },
        ],
      },
      fixture.context(),
    ),
    "EDIT_AMBIGUOUS",
  )
  assert.match(error.error, /Edit 2 of 2: its old text occurs 3 times in "f.py" \(at lines 1, 3, 5\)/)
  assert.match(error.error, /No edit was applied/)
  assert.equal(await readHostFile(join(fixture.workspace, "f.py"), "utf8"), original)
  completed(
    await edit.run(
      { path: "f.py", edits: [{ oldText: "x = 1", newText: "x = 4", replaceAll: true }] },
      fixture.context(),
    ),
  )
  assert.equal(
    await readHostFile(join(fixture.workspace, "f.py"), "utf8"),
    "x = 4\ny = 2\nx = 4\nz = 3\nx = 4\n",
  )
})

test("edit with text that does not occur says so and what to do", async () => {
  await using fixture = await createToolFixture()
  await fixture.files.write("f.txt", text("  indented\n"))
  const error = failed(
    await edit.run({ path: "f.txt", edits: [{ oldText: "indented ", newText: "x" }] }, fixture.context()),
    "EDIT_NO_MATCH",
  )
  assert.match(error.error, /does not occur in "f.txt".*Read the file again/)
  const near = failed(
    await edit.run({ path: "f.txt", edits: [{ oldText: "indented  ", newText: "x" }] }, fixture.context()),
    "EDIT_NO_MATCH",
  )
  assert.match(near.error, /Its first line occurs at line 1 with different whitespace/)
  failed(
    await edit.run(
      { path: "f.txt", edits: [{ oldText: "indented", newText: "indented" }] },
      fixture.context(),
    ),
    "VALIDATION_FAILED",
  )
  failed(await edit.run({ path: "f.txt", edits: [] }, fixture.context()), "TOOL_INPUT_INVALID")
})

test("list shows folders first, symlinks as links, and descends to the depth asked", async () => {
  await using fixture = await createToolFixture()
  await fixture.files.write("src/lib/deep.ts", text(""))
  await fixture.files.write("src/index.ts", text(""))
  await fixture.files.write("README.md", text(""))
  await fixture.files.write("node_modules/pkg/index.js", text(""))
  await mkdir(join(fixture.directory, "outside"))
  await symlink(join(fixture.directory, "outside"), join(fixture.workspace, "link"))
  const top = completed(await list.run({}, fixture.context()))
  assert.equal(top.output, "node_modules/\nsrc/\nREADME.md\nlink@")
  const deep = completed(await list.run({ depth: 3 }, fixture.context()))
  assert.equal(deep.output, "node_modules/\nsrc/\n  lib/\n    deep.ts\n  index.ts\nREADME.md\nlink@")
  const sub = completed(await list.run({ path: "src" }, fixture.context()))
  assert.equal(sub.output, "lib/\nindex.ts")
  failed(await list.run({ path: "link" }, fixture.context()), "PATH_OUTSIDE_WORKSPACE")
})

test("edit matches text written with \\n in a file with Windows line ends, and keeps them", async () => {
  await using fixture = await createToolFixture()
  await fixture.files.write("win.txt", text("one\r\ntwo\r\nthree\r\n"))
  completed(
    await edit.run(
      { path: "win.txt", edits: [{ oldText: "one\ntwo", newText: "one\n2\ntwo" }] },
      fixture.context(),
    ),
  )
  assert.equal(await readHostFile(join(fixture.workspace, "win.txt"), "utf8"), "one\r\n2\r\ntwo\r\nthree\r\n")
})
