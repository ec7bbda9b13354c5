import assert from "node:assert/strict"
import { chmod, readdir, readFile, stat, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import { createFixture, rejectsWith, treeOf } from "./workspace-fixture.ts"

const text = (value: string) => Buffer.from(value, "utf8")

test("create, read, stat, write and remove a file", async () => {
  await using fixture = await createFixture()
  const { files } = fixture
  const created = await files.create("src/app.ts", "file", text("one"))
  assert.equal(created.path, "src/app.ts")
  assert.equal(created.name, "app.ts")
  assert.equal(created.type, "file")
  assert.equal(created.size, 3)
  const read = await files.read("src/app.ts")
  assert.equal(read.content.toString(), "one")
  assert.equal(read.entry.version, created.version)
  assert.deepEqual(await files.stat("src/app.ts"), created)
  const written = await files.write("src/app.ts", text("two!"), { expectedVersion: created.version })
  assert.notEqual(written.version, created.version)
  assert.equal(await readFile(join(fixture.workspace, "src/app.ts"), "utf8"), "two!")
  assert.equal((await files.stat("src")).type, "directory")
  await files.remove("src/app.ts")
  await rejectsWith(files.stat("src/app.ts"), "FILE_NOT_FOUND")
  await rejectsWith(files.read("missing.txt"), "FILE_NOT_FOUND")
})

test("a write with a stale version conflicts and leaves the newer content", async () => {
  await using fixture = await createFixture()
  const { files } = fixture
  const first = await files.write("notes.md", text("a"))
  await files.write("notes.md", text("b"))
  await rejectsWith(
    files.write("notes.md", text("c"), { expectedVersion: first.version }),
    "VERSION_CONFLICT",
  )
  assert.equal((await files.read("notes.md")).content.toString(), "b")
  await rejectsWith(files.write("notes.md", text("d"), { expectedVersion: null }), "VERSION_CONFLICT")
  await rejectsWith(files.write("new.md", text("d"), { expectedVersion: first.version }), "VERSION_CONFLICT")
  const fresh = await files.write("new.md", text("e"), { expectedVersion: null })
  assert.equal(fresh.size, 1)
  assert.deepEqual(await treeOf(fixture.workspace), ["new.md", "notes.md"])
})

test("two concurrent writers with the same version: exactly one wins", async () => {
  await using fixture = await createFixture()
  const { files } = fixture
  for (let round = 0; round < 20; round += 1) {
    const { version } = await files.write("race.txt", text(`round ${round}`))
    const results = await Promise.allSettled([
      files.write("race.txt", text("left"), { expectedVersion: version }),
      files.write("race.txt", text("right"), { expectedVersion: version }),
    ])
    const won = results.filter((result) => result.status === "fulfilled")
    const lost = results.filter((result) => result.status === "rejected")
    assert.equal(won.length, 1)
    assert.equal(lost.length, 1)
    assert.equal((lost[0] as PromiseRejectedResult).reason.code, "VERSION_CONFLICT")
    const winner = results.findIndex((result) => result.status === "fulfilled") === 0 ? "left" : "right"
    assert.equal((await files.read("race.txt")).content.toString(), winner)
  }
  // The loser's temp file is gone too.
  assert.deepEqual(await readdir(fixture.workspace), ["race.txt"])
})

test("two managers' handles on one project share the lock", async () => {
  await using fixture = await createFixture()
  const other = fixture.manager.files("prj_test")
  const { version } = await fixture.files.write("shared.txt", text("0"))
  const results = await Promise.allSettled([
    fixture.files.write("shared.txt", text("1"), { expectedVersion: version }),
    other.write("shared.txt", text("2"), { expectedVersion: version }),
  ])
  assert.equal(results.filter((result) => result.status === "fulfilled").length, 1)
})

test("the per-file limit applies to writes, creates and reads", async () => {
  await using fixture = await createFixture({ maxFileBytes: 10 })
  const { files } = fixture
  await rejectsWith(files.write("big.bin", new Uint8Array(11)), "FILE_TOO_LARGE")
  await rejectsWith(files.create("big.bin", "file", new Uint8Array(11)), "FILE_TOO_LARGE")
  assert.deepEqual(await readdir(fixture.workspace), [])
  await files.write("ok.bin", new Uint8Array(10))
  await writeFile(join(fixture.workspace, "grown.bin"), new Uint8Array(50))
  await rejectsWith(files.read("grown.bin"), "FILE_TOO_LARGE")
})

test("create refuses existing entries; directories are created with parents", async () => {
  await using fixture = await createFixture()
  const { files } = fixture
  const directory = await files.create("a/b/c", "directory")
  assert.equal(directory.type, "directory")
  assert.equal(directory.size, 0)
  await rejectsWith(files.create("a/b/c", "directory"), "FILE_EXISTS")
  await rejectsWith(files.create("a/b", "file"), "FILE_EXISTS")
  await files.create("a/file.txt", "file")
  await rejectsWith(files.create("a/file.txt", "file", text("x")), "FILE_EXISTS")
  await rejectsWith(files.create("a/file.txt/inner", "file"), "NOT_A_DIRECTORY")
  await rejectsWith(files.write("a/b", text("x")), "NOT_A_FILE")
  await rejectsWith(files.read("a/b"), "NOT_A_FILE")
  assert.deepEqual(await treeOf(fixture.workspace), ["a/", "a/b/", "a/b/c/", "a/file.txt"])
})

test("move renames files and directories, refusing to overwrite unless asked", async () => {
  await using fixture = await createFixture()
  const { files } = fixture
  await files.write("one.txt", text("1"))
  await files.write("two.txt", text("2"))
  await files.write("dir/inner.txt", text("i"))
  await rejectsWith(files.move("one.txt", "two.txt"), "FILE_EXISTS")
  const moved = await files.move("one.txt", "two.txt", { overwrite: true })
  assert.equal(moved.path, "two.txt")
  assert.equal((await files.read("two.txt")).content.toString(), "1")
  await files.move("dir", "nested/renamed")
  assert.equal((await files.read("nested/renamed/inner.txt")).content.toString(), "i")
  await rejectsWith(files.move("nested", "nested/renamed/deeper"), "PATH_INVALID")
  await rejectsWith(files.move("nested/renamed", "nested", { overwrite: true }), "PATH_INVALID")
  assert.equal((await files.read("nested/renamed/inner.txt")).content.toString(), "i")
  await rejectsWith(files.move("absent", "x"), "FILE_NOT_FOUND")
  await files.write("other/keep.txt", text("k"))
  await rejectsWith(files.move("nested", "other"), "FILE_EXISTS")
  await files.move("nested", "other", { overwrite: true })
  assert.deepEqual(await treeOf(fixture.workspace), [
    "other/",
    "other/renamed/",
    "other/renamed/inner.txt",
    "two.txt",
  ])
})

test("remove deletes directories recursively", async () => {
  await using fixture = await createFixture()
  const { files } = fixture
  await files.writeMany([
    { path: "tree/a.txt", content: text("a") },
    { path: "tree/deep/b.txt", content: text("b") },
  ])
  await files.remove("tree")
  assert.deepEqual(await readdir(fixture.workspace), [])
  await rejectsWith(files.remove("tree"), "FILE_NOT_FOUND")
})

test("list pages through a directory, directories first, then by name", async () => {
  await using fixture = await createFixture()
  const { files } = fixture
  const names = ["b.txt", "A.txt", "a.txt", "c.txt", "_x.txt"]
  for (const name of names) await files.write(`list/${name}`, text(name))
  await files.create("list/zeta", "directory")
  await files.create("list/alpha", "directory")
  const seen: string[] = []
  let cursor: string | undefined
  let pages = 0
  do {
    const page = await files.list("list", { limit: 2, ...(cursor ? { cursor } : {}) })
    assert.ok(page.entries.length <= 2)
    seen.push(...page.entries.map((entry) => entry.path))
    cursor = page.nextCursor ?? undefined
    pages += 1
  } while (cursor)
  assert.equal(pages, 4)
  assert.deepEqual(seen, [
    "list/alpha",
    "list/zeta",
    "list/A.txt",
    "list/_x.txt",
    "list/a.txt",
    "list/b.txt",
    "list/c.txt",
  ])
  const root = await files.list("", { limit: 10 })
  assert.deepEqual(
    root.entries.map((entry) => [entry.path, entry.type]),
    [["list", "directory"]],
  )
  assert.equal(root.nextCursor, null)
})

test("a cursor stays valid when entries before it are deleted", async () => {
  await using fixture = await createFixture()
  const { files } = fixture
  for (const name of ["a", "b", "c", "d"]) await files.write(`${name}.txt`, text(name))
  const first = await files.list("", { limit: 2 })
  await files.remove("a.txt")
  const second = await files.list("", { limit: 2, cursor: first.nextCursor! })
  assert.deepEqual(
    second.entries.map((entry) => entry.name),
    ["c.txt", "d.txt"],
  )
  await rejectsWith(files.list("", { limit: 2, cursor: "not-a-cursor" }), "VALIDATION_FAILED")
  await rejectsWith(files.list("", { limit: 0 }), "VALIDATION_FAILED")
  await rejectsWith(files.list("c.txt", { limit: 1 }), "NOT_A_DIRECTORY")
  await rejectsWith(files.list("nothing", { limit: 1 }), "FILE_NOT_FOUND")
})

test("invalid paths are refused by every operation", async () => {
  await using fixture = await createFixture()
  const { files } = fixture
  for (const path of ["", "/etc/passwd", "../x", "a/../../x", "a\\b", "a\0b"]) {
    await rejectsWith(files.read(path), "PATH_INVALID")
    await rejectsWith(files.write(path, text("x")), "PATH_INVALID")
    await rejectsWith(files.create(path, "file"), "PATH_INVALID")
    await rejectsWith(files.move(path, "y"), "PATH_INVALID")
    await rejectsWith(files.move("y", path), "PATH_INVALID")
    await rejectsWith(files.remove(path), "PATH_INVALID")
    await rejectsWith(files.stat(path), "PATH_INVALID")
    await rejectsWith(files.resolve(path === "" ? ".." : path), "PATH_INVALID")
  }
  await rejectsWith(files.list("../", { limit: 1 }), "PATH_INVALID")
})

test("a write keeps the file's permission bits", async () => {
  await using fixture = await createFixture()
  const { files } = fixture
  await files.write("run.sh", text("#!/bin/sh\n"))
  await chmod(join(fixture.workspace, "run.sh"), 0o755)
  await files.write("run.sh", text("#!/bin/sh\necho hi\n"))
  assert.equal((await stat(join(fixture.workspace, "run.sh"))).mode & 0o777, 0o755)
})

test("files() of a project without a workspace raises PROJECT_NOT_FOUND; ids are checked", async () => {
  await using fixture = await createFixture()
  await rejectsWith(fixture.manager.files("prj_missing").list("", { limit: 1 }), "PROJECT_NOT_FOUND")
  for (const id of ["", "../x", ".staging", "a/b", "-x"]) {
    assert.throws(() => fixture.manager.files(id), { code: "VALIDATION_FAILED" })
  }
  assert.equal(await fixture.manager.exists("prj_test"), true)
  await rejectsWith(fixture.manager.create("prj_test", { kind: "empty" }), "FILE_EXISTS")
  await fixture.manager.remove("prj_test")
  assert.equal(await fixture.manager.exists("prj_test"), false)
  await fixture.manager.remove("prj_test")
  assert.deepEqual(await readdir(join(fixture.directory, "workspaces", ".staging")), [])
})
