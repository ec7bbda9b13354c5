import assert from "node:assert/strict"
import { spawnSync } from "node:child_process"
import { mkdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import { fileURLToPath } from "node:url"
import { createFixture, treeOf } from "./workspace-fixture.ts"

/**
 * Real ENOSPC and EROFS, not simulated ones: a child Node process runs the workspace code inside
 * bubblewrap, which mounts the manager's root either as a 64 KiB tmpfs or read-only. The child
 * reports each operation's error code and what is left on disk as JSON.
 */
const packageDirectory = fileURLToPath(new URL("../", import.meta.url))
const moduleUrl = new URL("../src/index.ts", import.meta.url).href

const childScript = `
import { readdir } from "node:fs/promises"
const { createWorkspaceManager } = await import(process.env.WORKSPACE_MODULE)
const root = process.env.WORKSPACE_ROOT
const limits = { maxFileBytes: 1048576, maxUploadBytes: 4194304, maxUploadFiles: 100 }
const manager = createWorkspaceManager({ root, limits })
const result = {}
async function attempt(name, action) {
  try { await action(); result[name] = "ok" } catch (error) { result[name] = error.code ?? String(error) }
}
const big = (size) => Buffer.alloc(size, 7)
if (process.env.SCENARIO === "full") {
  await manager.create("prj_full", { kind: "empty" })
  const files = manager.files("prj_full")
  await files.write("small.txt", Buffer.from("fits"))
  await attempt("write", () => files.write("big.bin", big(200000)))
  await attempt("overwrite", () => files.write("small.txt", big(200000)))
  await attempt("create", () => files.create("dir/new.bin", "file", big(200000)))
  await attempt("writeMany", () => files.writeMany([
    { path: "upload/a.bin", content: big(30000) },
    { path: "upload/b.bin", content: big(60000) },
  ]))
  result.small = (await files.read("small.txt")).content.toString()
} else {
  const files = manager.files("prj_ro")
  result.read = (await files.read("kept.txt")).content.toString()
  await attempt("write", () => files.write("kept.txt", Buffer.from("changed")))
  await attempt("writeNew", () => files.write("new.txt", Buffer.from("new")))
  await attempt("create", () => files.create("folder", "directory"))
  await attempt("writeMany", () => files.writeMany([{ path: "up.txt", content: Buffer.from("up") }]))
  await attempt("move", () => files.move("kept.txt", "moved.txt"))
  await attempt("remove", () => files.remove("kept.txt"))
  await attempt("createProject", () => manager.create("prj_new", { kind: "empty" }))
}
result.tree = (await readdir(root, { recursive: true })).sort()
console.log(JSON.stringify(result))
`

function runInBubblewrap(mountArgs: string[], environment: Record<string, string>) {
  const { NODE_TEST_CONTEXT: _, ...inherited } = process.env
  const result = spawnSync(
    "bwrap",
    [
      "--bind",
      "/",
      "/",
      "--dev",
      "/dev",
      "--proc",
      "/proc",
      ...mountArgs,
      "--",
      process.execPath,
      "--input-type=module",
      "-e",
      childScript,
    ],
    {
      cwd: packageDirectory,
      encoding: "utf8",
      env: { ...inherited, WORKSPACE_MODULE: moduleUrl, ...environment },
      timeout: 60_000,
    },
  )
  assert.equal(result.error, undefined, `bwrap could not run: ${String(result.error)}`)
  assert.equal(result.status, 0, `bwrap or the child failed:\n${result.stderr}`)
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Record<string, unknown>
}

test("a full disk is DISK_FULL and leaves no temp file or partial upload", async () => {
  await using fixture = await createFixture()
  const root = join(fixture.directory, "full")
  await mkdir(root)
  const result = runInBubblewrap(["--size", "65536", "--tmpfs", root], {
    WORKSPACE_ROOT: root,
    SCENARIO: "full",
  })
  assert.equal(result.write, "DISK_FULL")
  assert.equal(result.overwrite, "DISK_FULL")
  assert.equal(result.create, "DISK_FULL")
  assert.equal(result.writeMany, "DISK_FULL")
  assert.equal(result.small, "fits")
  assert.deepEqual(result.tree, [".staging", "prj_full", "prj_full/small.txt"])
})

test("read-only storage is READ_ONLY_STORAGE, reads still work and nothing changes", async () => {
  await using fixture = await createFixture()
  const root = join(fixture.directory, "workspaces")
  await fixture.manager.create("prj_ro", { kind: "empty" })
  await fixture.manager.files("prj_ro").write("kept.txt", Buffer.from("original"))
  const before = await treeOf(root)
  const result = runInBubblewrap(["--ro-bind", root, root], { WORKSPACE_ROOT: root, SCENARIO: "read-only" })
  assert.equal(result.read, "original")
  for (const operation of ["write", "writeNew", "create", "writeMany", "move", "remove", "createProject"]) {
    assert.equal(result[operation], "READ_ONLY_STORAGE", operation)
  }
  assert.deepEqual(await treeOf(root), before)
  assert.equal(await readFile(join(root, "prj_ro", "kept.txt"), "utf8"), "original")
})
