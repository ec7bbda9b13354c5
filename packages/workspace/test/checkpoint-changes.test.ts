// readCheckpointChanges over real checkpoints (hidden git): both sides of text files, the project's first
// checkpoint against nothing, and what is named but not sent (binary, not UTF-8, too large, symlinks).
import assert from "node:assert/strict"
import { mkdir, mkdtemp, rm, symlink, unlink, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { test } from "node:test"
import { checkpointGitDir, createCheckpoints, readCheckpointChanges } from "../src/index.ts"
import { rejectsWith } from "./workspace-fixture.ts"

async function setup() {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-checkpoint-changes-"))
  const workspace = join(directory, "workspaces", "prj_a")
  await mkdir(workspace, { recursive: true })
  const gitDir = checkpointGitDir(join(directory, "workspaces"), "prj_a")
  return {
    gitDir,
    checkpoints: createCheckpoints({ workspace, gitDir }),
    write: (path: string, content: string | Buffer) => writeFile(join(workspace, path), content),
    workspace,
    [Symbol.asyncDispose]: () => rm(directory, { recursive: true, force: true }),
  }
}

const byPath = <T extends { path: string }>(files: T[]) =>
  [...files].sort((a, b) => a.path.localeCompare(b.path))

test("a checkpoint's changes against its parent, with the text of both sides", async () => {
  await using project = await setup()
  await project.write("kept.txt", "kept\n")
  await project.write("gone.txt", "gone\n")
  await project.write("edited.txt", "one\ntwo\n")
  const first = await project.checkpoints.record({ message: "first" })

  const initial = await readCheckpointChanges({ gitDir: project.gitDir }, first.id)
  assert.equal(initial.from, null, "the first checkpoint is compared with nothing")
  assert.deepEqual(
    byPath(initial.files).map((file) => [file.path, file.change, file.before, file.after]),
    [
      ["edited.txt", "added", null, "one\ntwo\n"],
      ["gone.txt", "added", null, "gone\n"],
      ["kept.txt", "added", null, "kept\n"],
    ],
  )

  await project.write("edited.txt", "one\n2\n")
  await unlink(join(project.workspace, "gone.txt"))
  await project.write("new.txt", "")
  const second = await project.checkpoints.record({ message: "second" })
  // Later changes do not reach the second checkpoint's answer.
  await project.write("edited.txt", "something else\n")
  await project.checkpoints.record({ message: "third" })

  const changes = await readCheckpointChanges({ gitDir: project.gitDir }, second.id)
  assert.equal(changes.from, first.id)
  assert.equal(changes.to, second.id)
  assert.equal(changes.truncated, false)
  assert.deepEqual(byPath(changes.files), [
    {
      path: "edited.txt",
      change: "modified",
      additions: 1,
      deletions: 1,
      omitted: null,
      before: "one\ntwo\n",
      after: "one\n2\n",
    },
    {
      path: "gone.txt",
      change: "deleted",
      additions: 0,
      deletions: 1,
      omitted: null,
      before: "gone\n",
      after: null,
    },
    { path: "new.txt", change: "added", additions: 0, deletions: 0, omitted: null, before: null, after: "" },
  ])
})

test("binary, non-UTF-8, too large and symlinked files are named, not sent; the file list has a cap", async () => {
  await using project = await setup()
  await project.write("start.txt", "start\n")
  await project.checkpoints.record({ message: "start" })
  await project.write("image.bin", Buffer.from([0x89, 0x50, 0x00, 0x01]))
  await project.write("latin1.txt", Buffer.from("caf\xe9\n", "latin1"))
  await project.write("big.txt", "x".repeat(200))
  await project.write("small.txt", "small\n")
  await symlink("start.txt", join(project.workspace, "link"))
  const { id } = await project.checkpoints.record({ message: "many" })

  const changes = await readCheckpointChanges({ gitDir: project.gitDir }, id, { maxFileBytes: 100 })
  assert.deepEqual(
    byPath(changes.files).map((file) => [file.path, file.omitted, file.after]),
    [
      ["big.txt", "too-large", null],
      ["image.bin", "binary", null],
      ["latin1.txt", "binary", null],
      ["link", "not-a-file", null],
      ["small.txt", null, "small\n"],
    ],
  )
  const cut = await readCheckpointChanges({ gitDir: project.gitDir }, id, { maxFiles: 2 })
  assert.equal(cut.files.length, 2)
  assert.equal(cut.truncated, true)
  // In path order: latin1.txt (5 bytes) fits in 6, then small.txt (6 bytes) no longer does.
  const spent = await readCheckpointChanges({ gitDir: project.gitDir }, id, { maxTotalBytes: 6 })
  assert.deepEqual(
    byPath(spent.files).map((file) => [file.path, file.omitted]),
    [
      ["big.txt", "too-large"],
      ["image.bin", "binary"],
      ["latin1.txt", "binary"],
      ["link", "not-a-file"],
      ["small.txt", "too-large"],
    ],
  )
})

test("unknown, malformed and option-like ids are CHECKPOINT_NOT_FOUND", async () => {
  await using project = await setup()
  await rejectsWith(readCheckpointChanges({ gitDir: project.gitDir }, "0".repeat(40)), "CHECKPOINT_NOT_FOUND")
  await project.write("a.txt", "a\n")
  await project.checkpoints.record({ message: "a" })
  await rejectsWith(readCheckpointChanges({ gitDir: project.gitDir }, "0".repeat(40)), "CHECKPOINT_NOT_FOUND")
  await rejectsWith(
    readCheckpointChanges({ gitDir: project.gitDir }, "--output=/tmp/x"),
    "CHECKPOINT_NOT_FOUND",
  )
})
