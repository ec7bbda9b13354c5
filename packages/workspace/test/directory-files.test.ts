import assert from "node:assert/strict"
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { test } from "node:test"
import { createDirectoryFiles } from "../src/index.ts"

const limits = { maxFileBytes: 1024 * 1024, maxUploadBytes: 4 * 1024 * 1024, maxUploadFiles: 100 }

async function tempDirectory(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-directory-files-"))
  t.after(() => rm(directory, { recursive: true, force: true }))
  return directory
}

test("files of a directory outside any workspaces root are read and written in place", async (t) => {
  const root = await tempDirectory(t)
  const project = join(root, "some project")
  await mkdir(project)
  await writeFile(join(project, "readme.md"), "# Hello\n")
  const files = createDirectoryFiles({ directory: project, staging: join(root, "staging"), limits })
  assert.equal((await files.read("readme.md")).content.toString(), "# Hello\n")
  await files.write("src/a.ts", Buffer.from("export {}\n"))
  assert.equal(await readFile(join(project, "src", "a.ts"), "utf8"), "export {}\n")
})

test("a symlink out of the directory is refused, like in a workspace", async (t) => {
  const root = await tempDirectory(t)
  const project = join(root, "project")
  await mkdir(project)
  await writeFile(join(root, "secret.txt"), "outside\n")
  await symlink(join(root, "secret.txt"), join(project, "evil"))
  const files = createDirectoryFiles({ directory: project, staging: join(root, "staging"), limits })
  await assert.rejects(
    files.read("evil"),
    (error: { code?: string }) => error.code === "PATH_OUTSIDE_WORKSPACE",
  )
  await assert.rejects(files.write("evil", Buffer.from("x")))
  assert.equal(await readFile(join(root, "secret.txt"), "utf8"), "outside\n")
})

test("a directory that is gone fails with SANDBOX_WORKSPACE_INVALID", async (t) => {
  const root = await tempDirectory(t)
  const files = createDirectoryFiles({
    directory: join(root, "missing"),
    staging: join(root, "staging"),
    limits,
  })
  await assert.rejects(
    files.stat("a.txt"),
    (error: { code?: string }) => error.code === "SANDBOX_WORKSPACE_INVALID",
  )
})
