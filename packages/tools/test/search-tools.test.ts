import assert from "node:assert/strict"
import { mkdir, symlink, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import { glob } from "../src/glob.ts"
import { grep } from "../src/grep.ts"
import type { ToolOutcome } from "../src/types.ts"
import { createToolFixture, text } from "./tool-fixture.ts"

function output(outcome: ToolOutcome): string {
  assert.equal(outcome.status, "completed", outcome.status === "error" ? outcome.error : "")
  return (outcome as Extract<ToolOutcome, { status: "completed" }>).output
}

async function project() {
  const fixture = await createToolFixture()
  await fixture.files.write("src/a.ts", text("export const needle = 1\n"))
  await fixture.files.write("src/b/c.ts", text("// NEEDLE in a comment\n"))
  await fixture.files.write("docs/guide.md", text("find the needle here\n"))
  await fixture.files.write(".hidden/x.ts", text("needle hidden\n"))
  // A planted link to a folder and one to a file outside the workspace: never followed.
  const outside = join(fixture.directory, "outside")
  await mkdir(outside)
  await writeFile(join(outside, "secret.ts"), "needle secret\n")
  await symlink(outside, join(fixture.workspace, "escape"))
  await symlink(join(outside, "secret.ts"), join(fixture.workspace, "secret.ts"))
  await mkdir(join(fixture.workspace, ".git"))
  await writeFile(join(fixture.workspace, ".git/config.ts"), "needle git\n")
  return fixture
}

test("grep finds matches as path:line:text and never follows symlinks out", async () => {
  await using fixture = await project()
  const found = output(await grep.run({ pattern: "needle" }, fixture.context()))
  assert.deepEqual(found.split("\n").sort(), [
    ".hidden/x.ts:1:needle hidden",
    "docs/guide.md:1:find the needle here",
    "src/a.ts:1:export const needle = 1",
  ])
  assert.doesNotMatch(found, /secret|git/)
  const folded = output(
    await grep.run({ pattern: "needle", ignoreCase: true, include: "*.ts", path: "src" }, fixture.context()),
  )
  assert.deepEqual(folded.split("\n").sort(), [
    "src/a.ts:1:export const needle = 1",
    "src/b/c.ts:1:// NEEDLE in a comment",
  ])
  assert.match(
    output(await grep.run({ pattern: "nothing-like-this" }, fixture.context())),
    /^No matches for "nothing-like-this"\.$/,
  )
})

test("grep takes patterns that look like flags or hold regex characters as patterns", async () => {
  await using fixture = await createToolFixture()
  await fixture.files.write("a.txt", text("--files\n(a+b)\n"))
  assert.equal(output(await grep.run({ pattern: "--files" }, fixture.context())), "a.txt:1:--files")
  assert.equal(
    output(await grep.run({ pattern: "(a+b)", literal: true }, fixture.context())),
    "a.txt:2:(a+b)",
  )
  const broken = await grep.run({ pattern: "(unclosed" }, fixture.context())
  assert.ok(broken.status === "error")
  assert.equal(broken.code, "SEARCH_FAILED")
  assert.match(broken.error, /escape them or set literal: true/)
})

test("grep and glob refuse a path that leads out through a symlink", async () => {
  await using fixture = await project()
  const viaGrep = await grep.run({ pattern: "needle", path: "escape" }, fixture.context())
  assert.ok(viaGrep.status === "error" && viaGrep.code === "PATH_OUTSIDE_WORKSPACE")
  const viaGlob = await glob.run({ pattern: "*", path: "escape" }, fixture.context())
  assert.ok(viaGlob.status === "error" && viaGlob.code === "PATH_OUTSIDE_WORKSPACE")
  const parent = await grep.run({ pattern: "needle", path: ".." }, fixture.context())
  assert.ok(parent.status === "error" && parent.code === "PATH_INVALID")
})

test("glob lists matching files sorted, relative to the root, without links or .git", async () => {
  await using fixture = await project()
  assert.equal(
    output(await glob.run({ pattern: "**/*.ts" }, fixture.context())),
    ".hidden/x.ts\nsrc/a.ts\nsrc/b/c.ts",
  )
  assert.equal(output(await glob.run({ pattern: "*.ts", path: "src/b" }, fixture.context())), "src/b/c.ts")
  assert.match(output(await glob.run({ pattern: "*.rs" }, fixture.context())), /^No files match "\*\.rs"\.$/)
})

test("a search with more output than is read still answers, cut, with how to narrow it", async () => {
  await using fixture = await createToolFixture()
  const line = `needle ${"x".repeat(50)}\n`
  // Six files under ripgrep's 1 MB cap, 5 MB of matches in all: past the 4 MB read cap.
  for (let index = 0; index < 6; index++)
    await fixture.files.write(`big/${index}.txt`, text(line.repeat(15_000)))
  await fixture.files.write("big/other.txt", text("nothing\n"))
  const outcome = await grep.run({ pattern: "needle" }, fixture.context())
  assert.ok(outcome.status === "completed", outcome.status === "error" ? outcome.error : "")
  assert.equal(outcome.truncated, true)
  assert.match(
    outcome.output,
    /Output truncated: showing the first \d+ of \d+ lines .*Use a more specific pattern/,
  )
})
