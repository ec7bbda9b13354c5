import assert from "node:assert/strict"
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { test } from "node:test"
import { checkpointGitDir, createCheckpoints, createWorktrees, orchestraRoot } from "@xionimus/workspace"
import type { Worktrees } from "../src/orchestra/ports.ts"

// The composition root hands the workspace's git worktrees to the run engine as its Worktrees port:
// this proves the two fit (the assignment below is type-checked) and behave as the port promises.
test("the workspace's git worktrees serve as the orchestra's Worktrees port", async () => {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-worktrees-port-"))
  try {
    const workspacesRoot = join(directory, "workspaces")
    const workspace = join(workspacesRoot, "prj_a")
    await mkdir(workspace, { recursive: true })
    await writeFile(join(workspace, "a.txt"), "a\n")
    await writeFile(join(workspace, "b.txt"), "b\n")
    const gitDir = checkpointGitDir(workspacesRoot, "prj_a")
    const checkpoints = createCheckpoints({ workspace, gitDir })
    const baseCheckpoint = (await checkpoints.record({ message: "base" })).id
    const port: Worktrees = createWorktrees({
      root: orchestraRoot(workspacesRoot),
      workspace,
      gitDir,
      checkpoints,
    })

    const refs = ["pkg_1", "pkg_2", "pkg_3"].map((packageId) => ({ runId: "orc_1", packageId }))
    const dirs = await Promise.all(refs.map((ref) => port.create({ ...ref, baseCheckpoint })))
    assert.deepEqual(await port.create({ ...refs[0]!, baseCheckpoint }), dirs[0])
    await writeFile(join(dirs[0]!.dir, "a.txt"), "a by 1\n")
    await writeFile(join(dirs[1]!.dir, "b.txt"), "b by 2\n")
    await writeFile(join(dirs[2]!.dir, "a.txt"), "a by 3\n")

    const merge = (index: number) =>
      port.merge({ ...refs[index]!, baseCheckpoint, message: `merge ${refs[index]!.packageId}` })
    const first = await merge(0)
    assert.equal(first.kind, "clean")
    assert.ok(first.kind === "clean" && first.checkpointId)
    assert.deepEqual(first.files, ["a.txt"])
    assert.deepEqual(await merge(1), {
      kind: "clean",
      files: ["b.txt"],
      checkpointId: (await checkpoints.list({ limit: 1 }))[0]?.id,
      beforeCheckpointId: first.checkpointId,
    })
    assert.deepEqual(await merge(2), { kind: "conflict", paths: ["a.txt"] })
    assert.equal(await readFile(join(workspace, "a.txt"), "utf8"), "a by 1\n")
    assert.equal(await readFile(join(workspace, "b.txt"), "utf8"), "b by 2\n")

    for (const ref of refs) await port.remove(ref)
    await port.remove(refs[0]!)
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
})
