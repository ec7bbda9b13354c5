import assert from "node:assert/strict"
import { lstat, mkdir, readFile, readlink, realpath, symlink, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import { createFixture, rejectsWith, treeOf } from "./workspace-fixture.ts"

const text = (value: string) => Buffer.from(value, "utf8")

/**
 * The workspace is hostile: an agent inside the sandbox can plant symlinks. These stand in for the
 * real targets (/etc/passwd and /etc) with a "secret" file and an "outside" directory next to the
 * workspace, so that a failure could be seen (and could do no harm); one test also points at /etc.
 */
async function plant(workspace: string, directory: string) {
  const outside = join(directory, "outside")
  await mkdir(outside)
  await writeFile(join(outside, "passwd"), "root:x:0:0\n")
  await symlink(join(outside, "passwd"), join(workspace, "evil"))
  await symlink(outside, join(workspace, "dir"))
  await symlink("../outside/passwd", join(workspace, "relative-evil"))
  await symlink(join(outside, "not-there-yet"), join(workspace, "dangling"))
  await mkdir(join(workspace, "sub"))
  await symlink("../../outside", join(workspace, "sub", "up"))
  return outside
}

test("symlinks that lead outside are refused by read, write, list, move and delete", async () => {
  await using fixture = await createFixture()
  const { files, workspace, directory } = fixture
  const outside = await plant(workspace, directory)
  const before = await treeOf(outside)

  for (const path of ["evil", "relative-evil", "dir/passwd", "sub/up/passwd"]) {
    await rejectsWith(files.read(path), "PATH_OUTSIDE_WORKSPACE")
    await rejectsWith(files.write(path, text("owned")), "PATH_OUTSIDE_WORKSPACE")
    await rejectsWith(files.write(path, text("owned"), { expectedVersion: null }), "PATH_OUTSIDE_WORKSPACE")
    await rejectsWith(files.resolve(path), "PATH_OUTSIDE_WORKSPACE")
  }
  for (const path of ["dir/passwd", "sub/up/passwd", "dir/new.txt"]) {
    await rejectsWith(files.stat(path), "PATH_OUTSIDE_WORKSPACE")
    await rejectsWith(files.create(path, "file", text("owned")), "PATH_OUTSIDE_WORKSPACE")
    await rejectsWith(files.remove(path), "PATH_OUTSIDE_WORKSPACE")
    await rejectsWith(files.move(path, "stolen"), "PATH_OUTSIDE_WORKSPACE")
  }
  await files.write("mine.txt", text("mine"))
  await rejectsWith(files.move("mine.txt", "dir/mine.txt"), "PATH_OUTSIDE_WORKSPACE")
  await rejectsWith(files.move("mine.txt", "dir/passwd", { overwrite: true }), "PATH_OUTSIDE_WORKSPACE")
  await rejectsWith(files.list("dir", { limit: 10 }), "PATH_OUTSIDE_WORKSPACE")
  await rejectsWith(files.list("sub/up", { limit: 10 }), "PATH_OUTSIDE_WORKSPACE")
  await rejectsWith(files.create("dir/made", "directory"), "PATH_OUTSIDE_WORKSPACE")
  // A dangling link must not let a write create its target outside.
  await rejectsWith(files.write("dangling", text("owned")), "PATH_OUTSIDE_WORKSPACE")
  await rejectsWith(
    files.writeMany([
      { path: "fine.txt", content: text("fine") },
      { path: "dir/upload.txt", content: text("owned") },
    ]),
    "PATH_OUTSIDE_WORKSPACE",
  )
  await rejectsWith(files.writeMany([{ path: "evil", content: text("owned") }]), "PATH_OUTSIDE_WORKSPACE")

  assert.deepEqual(await treeOf(outside), before)
  assert.equal(await readFile(join(outside, "passwd"), "utf8"), "root:x:0:0\n")
  await assert.rejects(lstat(join(outside, "not-there-yet")), { code: "ENOENT" })
  assert.deepEqual(await treeOf(workspace), [
    "dangling",
    "dir",
    "evil",
    "mine.txt",
    "relative-evil",
    "sub/",
    "sub/up",
  ])
})

test("the links themselves can be listed, described, renamed and deleted without touching the target", async () => {
  await using fixture = await createFixture()
  const { files, workspace, directory } = fixture
  const outside = await plant(workspace, directory)
  const listed = await files.list("", { limit: 20 })
  assert.deepEqual(
    listed.entries.filter((entry) => entry.type === "symlink").map((entry) => entry.name),
    ["dangling", "dir", "evil", "relative-evil"],
  )
  assert.equal((await files.stat("evil")).type, "symlink")
  await files.move("evil", "renamed-evil")
  assert.equal(await readlink(join(workspace, "renamed-evil")), join(outside, "passwd"))
  await files.remove("renamed-evil")
  await files.remove("dir")
  assert.equal(await readFile(join(outside, "passwd"), "utf8"), "root:x:0:0\n")
  assert.deepEqual(await treeOf(outside), ["passwd"])
})

test("the real /etc is out of reach too", async () => {
  await using fixture = await createFixture()
  const { files, workspace } = fixture
  await symlink("/etc/passwd", join(workspace, "evil"))
  await symlink("/etc", join(workspace, "dir"))
  const passwd = await readFile("/etc/passwd")
  await rejectsWith(files.read("evil"), "PATH_OUTSIDE_WORKSPACE")
  await rejectsWith(files.read("dir/passwd"), "PATH_OUTSIDE_WORKSPACE")
  await rejectsWith(files.write("evil", text("owned")), "PATH_OUTSIDE_WORKSPACE")
  await rejectsWith(files.write("dir/passwd", text("owned")), "PATH_OUTSIDE_WORKSPACE")
  await rejectsWith(files.list("dir", { limit: 5 }), "PATH_OUTSIDE_WORKSPACE")
  await rejectsWith(files.move("dir/passwd", "passwd"), "PATH_OUTSIDE_WORKSPACE")
  await rejectsWith(files.remove("dir/passwd"), "PATH_OUTSIDE_WORKSPACE")
  assert.deepEqual(await readFile("/etc/passwd"), passwd)
})

test("symlinks that stay inside the workspace are followed", async () => {
  await using fixture = await createFixture()
  const { files, workspace } = fixture
  await files.write("real/data.txt", text("inside"))
  await symlink("real/data.txt", join(workspace, "alias.txt"))
  await symlink("real", join(workspace, "alias-dir"))
  await symlink(".", join(workspace, "self"))
  assert.equal((await files.read("alias.txt")).content.toString(), "inside")
  assert.equal((await files.read("alias-dir/data.txt")).content.toString(), "inside")
  assert.equal((await files.read("self/self/real/data.txt")).content.toString(), "inside")
  const { entries } = await files.list("alias-dir", { limit: 5 })
  assert.deepEqual(
    entries.map((entry) => entry.path),
    ["alias-dir/data.txt"],
  )
  // Writing through a link replaces the target's content and keeps the link.
  const { entry } = await files.read("alias.txt")
  await files.write("alias.txt", text("changed"), { expectedVersion: entry.version })
  assert.equal(await readFile(join(workspace, "real/data.txt"), "utf8"), "changed")
  assert.equal((await lstat(join(workspace, "alias.txt"))).isSymbolicLink(), true)
  assert.equal(await files.resolve("alias-dir/data.txt"), join(await realpath(workspace), "real/data.txt"))
})

test("a symlink loop is refused instead of spinning", async () => {
  await using fixture = await createFixture()
  const { files, workspace } = fixture
  await symlink("loop-b", join(workspace, "loop-a"))
  await symlink("loop-a", join(workspace, "loop-b"))
  await rejectsWith(files.read("loop-a"), "PATH_INVALID")
})
