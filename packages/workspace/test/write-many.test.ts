import assert from "node:assert/strict"
import { mkdir, readdir, readFile, realpath } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import type { KeyedLock } from "../src/keyed-lock.ts"
import { writeMany } from "../src/write-many.ts"
import { createFixture, defaultLimits, rejectsWith, treeOf } from "./workspace-fixture.ts"

const text = (value: string) => Buffer.from(value, "utf8")

test("writeMany uploads files into folders given as relative paths", async () => {
  await using fixture = await createFixture()
  const { files } = fixture
  await files.write("keep/existing.txt", text("old"))
  const entries = await files.writeMany([
    { path: "site/index.html", content: text("<h1>hi</h1>") },
    { path: "site/assets/logo.svg", content: text("<svg/>") },
    { path: "keep/existing.txt", content: text("new") },
  ])
  assert.deepEqual(
    entries.map((entry) => [entry.path, entry.size]),
    [
      ["site/index.html", 11],
      ["site/assets/logo.svg", 6],
      ["keep/existing.txt", 3],
    ],
  )
  assert.equal(await readFile(join(fixture.workspace, "keep/existing.txt"), "utf8"), "new")
  assert.deepEqual(await treeOf(fixture.workspace), [
    "keep/",
    "keep/existing.txt",
    "site/",
    "site/assets/",
    "site/assets/logo.svg",
    "site/index.html",
  ])
})

test("writeMany checks everything before writing anything", async () => {
  await using fixture = await createFixture({ maxFileBytes: 8, maxUploadBytes: 20, maxUploadFiles: 3 })
  const { files, workspace } = fixture
  await files.write("a.txt", text("original"))
  const good = { path: "new/good.txt", content: text("good") }
  const cases: [{ path: string; content: Uint8Array }[], string][] = [
    [[good, { path: "../escape.txt", content: text("x") }], "PATH_INVALID"],
    [[good, { path: "/abs.txt", content: text("x") }], "PATH_INVALID"],
    [[good, { path: "big.txt", content: new Uint8Array(9) }], "FILE_TOO_LARGE"],
    [
      [
        { path: "x1", content: new Uint8Array(8) },
        { path: "x2", content: new Uint8Array(8) },
        { path: "x3", content: new Uint8Array(8) },
      ],
      "UPLOAD_TOO_LARGE",
    ],
    [[good, good], "PATH_INVALID"],
    [
      [
        { path: "p", content: text("file") },
        { path: "p/q", content: text("nested") },
      ],
      "PATH_INVALID",
    ],
    [
      [
        { path: "1", content: text("") },
        { path: "2", content: text("") },
        { path: "3", content: text("") },
        { path: "4", content: text("") },
      ],
      "UPLOAD_TOO_LARGE",
    ],
    [[good, { path: "a.txt/inner", content: text("x") }], "NOT_A_DIRECTORY"],
  ]
  for (const [batch, code] of cases) {
    await rejectsWith(files.writeMany(batch), code)
    assert.deepEqual(await treeOf(workspace), ["a.txt"], code)
  }
  assert.equal(await readFile(join(workspace, "a.txt"), "utf8"), "original")
})

test("a batch that fails while being applied is rolled back completely", async () => {
  await using fixture = await createFixture()
  const { files, workspace } = fixture
  await files.write("a.txt", text("original a"))
  const staging = join(fixture.directory, "workspaces", ".staging")
  // Validation sees "late/x.txt" as a new file; the lock (taken after validation and staging) plants
  // a directory there, so the last rename fails after the first two have landed.
  const lock: KeyedLock = {
    async run(_keys, action) {
      await mkdir(join(workspace, "late/x.txt/inside"), { recursive: true })
      return action()
    },
  }
  const upload = writeMany(
    [
      { path: "a.txt", content: text("new a") },
      { path: "fresh/deep/b.txt", content: text("b") },
      { path: "late/x.txt", content: text("x") },
    ],
    { workspace: await realpath(workspace), staging, limits: defaultLimits, lock },
  )
  await rejectsWith(upload, "NOT_A_FILE")
  assert.equal(await readFile(join(workspace, "a.txt"), "utf8"), "original a")
  assert.deepEqual(await treeOf(workspace), ["a.txt", "late/", "late/x.txt/", "late/x.txt/inside/"])
  assert.deepEqual(await readdir(staging), [])
})
