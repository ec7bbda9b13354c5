import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { test } from "node:test"
import {
  type Checkpoints,
  checkpointGitDir,
  createCheckpoints,
  createWorktrees,
  orchestraRoot,
} from "../src/index.ts"
import { rejectsWith } from "./workspace-fixture.ts"

async function setup() {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-worktrees-"))
  const workspacesRoot = join(directory, "workspaces")
  const workspace = join(workspacesRoot, "prj_a")
  await mkdir(workspace, { recursive: true })
  const gitDir = checkpointGitDir(workspacesRoot, "prj_a")
  const checkpoints = createCheckpoints({ workspace, gitDir })
  const root = orchestraRoot(workspacesRoot)
  const write = async (base: string, path: string, content: string) => {
    await mkdir(join(base, path, ".."), { recursive: true })
    await writeFile(join(base, path), content)
  }
  await write(workspace, "src/a.ts", "export const a = 1\n")
  await write(workspace, "src/b.ts", "export const b = 1\n")
  await write(workspace, "README.md", "# project\n")
  const base = (await checkpoints.record({ message: "run base" })).id
  return {
    directory,
    workspace,
    gitDir,
    root,
    base,
    checkpoints,
    worktrees: createWorktrees({ root, workspace, gitDir, checkpoints }),
    write,
    read: (base: string, path: string) => readFile(join(base, path), "utf8"),
    [Symbol.asyncDispose]: () => rm(directory, { recursive: true, force: true }),
  }
}

/** Every file below `directory` (relative paths, sorted), links as `path -> target`. */
async function tree(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true })
  const listed: string[] = []
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name).slice(directory.length + 1)
    if (entry.isSymbolicLink()) listed.push(`${path} -> ${await readlink(join(directory, path))}`)
    else if (entry.isFile()) listed.push(path)
  }
  return listed.sort()
}

/** A checkpoint id that exists but is not the run's base. */
const second0 = (fixture: { base: string }) => fixture.base.replace(/^./, (c) => (c === "0" ? "1" : "0"))

function gitWorktreeList(gitDir: string): string {
  return execFileSync("git", [`--git-dir=${gitDir}`, "worktree", "list", "--porcelain"], {
    encoding: "utf8",
    env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
  })
}

test("a worktree holds the base checkpoint's files under <data>/orchestra/<run>/<package>", async () => {
  await using fixture = await setup()
  const { worktrees, workspace, root, base } = fixture
  await fixture.write(workspace, "src/later.ts", "not in the base\n")
  const directory = (await worktrees.create({ runId: "orc_1", packageId: "pkg_1", baseCheckpoint: base })).dir
  assert.equal(directory, join(root, "orc_1", "pkg_1"))
  assert.equal(root, join(fixture.directory, "orchestra"))
  assert.deepEqual(
    (await tree(directory)).filter((path) => path !== ".git"),
    ["README.md", "src/a.ts", "src/b.ts"],
  )
  // Creating it again (a resumed run) keeps the package's work.
  await fixture.write(directory, "src/a.ts", "work in progress\n")
  assert.equal(
    (await worktrees.create({ runId: "orc_1", packageId: "pkg_1", baseCheckpoint: base })).dir,
    directory,
  )
  assert.equal(await fixture.read(directory, "src/a.ts"), "work in progress\n")
})

test("eight worktrees created at once (parallel implementers) all come up; removing them at once leaves none", async () => {
  await using fixture = await setup()
  const { worktrees, base } = fixture
  const packages = Array.from({ length: 8 }, (_, index) => `pkg_${index}`)
  // A prune of one create used to read another's half-written git record and fail (…/commondir).
  const created = await Promise.all(
    packages.map((packageId) => worktrees.create({ runId: "orc_many", packageId, baseCheckpoint: base })),
  )
  for (const { dir } of created) assert.equal(await fixture.read(dir, "src/a.ts"), "export const a = 1\n")
  await Promise.all(packages.map((packageId) => worktrees.remove({ runId: "orc_many", packageId })))
  const records = execFileSync("git", ["--git-dir", fixture.gitDir, "worktree", "list", "--porcelain"], {
    encoding: "utf8",
  })
  assert.doesNotMatch(records, /orc_many/)
})

test("two packages on disjoint paths merge cleanly: both changes land, each as one checkpoint", async () => {
  await using fixture = await setup()
  const { worktrees, workspace, base, checkpoints } = fixture
  const one = (await worktrees.create({ runId: "orc_1", packageId: "pkg_1", baseCheckpoint: base })).dir
  const two = (await worktrees.create({ runId: "orc_1", packageId: "pkg_2", baseCheckpoint: base })).dir
  await fixture.write(one, "src/a.ts", "export const a = 2\n")
  await fixture.write(one, "src/feature/one.ts", "export const one = 1\n")
  await fixture.write(two, "src/b.ts", "export const b = 2\n")
  await rm(join(two, "README.md"))
  // Meanwhile the project moved on elsewhere.
  await fixture.write(workspace, "docs/notes.md", "notes\n")

  const first = await worktrees.merge({ runId: "orc_1", packageId: "pkg_1" })
  assert.equal(first.kind, "clean")
  assert.ok(first.kind === "clean")
  assert.deepEqual(first.files, ["src/a.ts", "src/feature/one.ts"])
  await rejectsWith(
    worktrees.merge({ runId: "orc_1", packageId: "pkg_2", baseCheckpoint: second0(fixture) }),
    "CHECKPOINT_NOT_FOUND",
  )
  const second = await worktrees.merge({
    runId: "orc_1",
    packageId: "pkg_2",
    baseCheckpoint: base,
    message: "Package pkg_2: tidy b",
  })
  assert.ok(second.kind === "clean")
  assert.deepEqual(second.files, ["README.md", "src/b.ts"])

  assert.deepEqual(await tree(workspace), ["docs/notes.md", "src/a.ts", "src/b.ts", "src/feature/one.ts"])
  assert.equal(await fixture.read(workspace, "src/a.ts"), "export const a = 2\n")
  assert.equal(await fixture.read(workspace, "src/b.ts"), "export const b = 2\n")

  const [latest, beforeSecond] = await checkpoints.list({ limit: 2 })
  assert.equal(latest?.id, second.checkpointId)
  assert.equal(latest?.message, "Package pkg_2: tidy b")
  assert.equal(latest?.meta.packageId, "pkg_2")
  assert.equal(beforeSecond?.id, second.beforeCheckpointId)
  const diff = await checkpoints.diff(second.beforeCheckpointId, second.checkpointId)
  assert.deepEqual(diff.files.map((file) => file.path).sort(), ["README.md", "src/b.ts"])
  // Nothing new to merge: clean, no change, no new checkpoint.
  const again = await worktrees.merge({ runId: "orc_1", packageId: "pkg_2" })
  assert.deepEqual(again, {
    kind: "clean",
    files: [],
    checkpointId: second.checkpointId,
    beforeCheckpointId: second.checkpointId,
  })
})

test("overlapping edits are a conflict with the paths, and the project is left unchanged", async () => {
  await using fixture = await setup()
  const { worktrees, workspace, base, checkpoints } = fixture
  const one = (await worktrees.create({ runId: "orc_1", packageId: "pkg_1", baseCheckpoint: base })).dir
  const two = (await worktrees.create({ runId: "orc_1", packageId: "pkg_2", baseCheckpoint: base })).dir
  await fixture.write(one, "src/a.ts", "export const a = 'one'\n")
  await fixture.write(one, "src/one.ts", "one\n")
  await fixture.write(two, "src/a.ts", "export const a = 'two'\n")
  await fixture.write(two, "src/b.ts", "export const b = 'two'\n")
  await rm(join(two, "README.md"))
  await fixture.write(one, "README.md", "# project, edited by one\n")

  assert.equal((await worktrees.merge({ runId: "orc_1", packageId: "pkg_1" })).kind, "clean")
  const before = await tree(workspace)
  const contents = await Promise.all(before.map((path) => fixture.read(workspace, path)))
  const head = (await checkpoints.list({ limit: 1 }))[0]?.id

  const result = await worktrees.merge({ runId: "orc_1", packageId: "pkg_2" })
  assert.deepEqual(result, { kind: "conflict", paths: ["README.md", "src/a.ts"] })
  assert.deepEqual(await tree(workspace), before)
  assert.deepEqual(await Promise.all(before.map((path) => fixture.read(workspace, path))), contents)
  assert.equal(await fixture.read(workspace, "src/a.ts"), "export const a = 'one'\n")
  // The package's non-overlapping change (src/b.ts) did not land either: all or nothing.
  assert.equal(await fixture.read(workspace, "src/b.ts"), "export const b = 1\n")
  // Only the "before" checkpoint, which records what was already there.
  const [latest] = await checkpoints.list({ limit: 1 })
  assert.equal(latest?.id, head)
})

test("a change the project made after the base conflicts with a package's edit of the same lines", async () => {
  await using fixture = await setup()
  const { worktrees, workspace, base } = fixture
  const one = (await worktrees.create({ runId: "orc_1", packageId: "pkg_1", baseCheckpoint: base })).dir
  await fixture.write(one, "src/a.ts", "export const a = 'package'\n")
  await fixture.write(workspace, "src/a.ts", "export const a = 'person'\n")
  assert.deepEqual(await worktrees.merge({ runId: "orc_1", packageId: "pkg_1" }), {
    kind: "conflict",
    paths: ["src/a.ts"],
  })
  assert.equal(await fixture.read(workspace, "src/a.ts"), "export const a = 'person'\n")
})

test("removal leaves nothing behind: no folder, no git record, no run folder", async () => {
  await using fixture = await setup()
  const { worktrees, root, gitDir, base } = fixture
  const one = (await worktrees.create({ runId: "orc_1", packageId: "pkg_1", baseCheckpoint: base })).dir
  await worktrees.create({ runId: "orc_1", packageId: "pkg_2", baseCheckpoint: base })
  await worktrees.create({ runId: "orc_2", packageId: "pkg_1", baseCheckpoint: base })
  await fixture.write(one, "new/deep/file.txt", "x\n")
  assert.equal((await readdir(join(gitDir, "worktrees"))).length, 3)

  await worktrees.remove({ runId: "orc_1", packageId: "pkg_1" })
  await assert.rejects(lstat(one), { code: "ENOENT" })
  await rejectsWith(worktrees.merge({ runId: "orc_1", packageId: "pkg_1" }), "WORKTREE_NOT_FOUND")
  await worktrees.remove({ runId: "orc_1", packageId: "pkg_2" })
  await worktrees.remove({ runId: "orc_1", packageId: "pkg_2" })
  await worktrees.removeRun("orc_2")
  assert.deepEqual(await readdir(root), [])
  assert.deepEqual(await readdir(join(gitDir, "worktrees")).catch(() => []), [])
  assert.equal(gitWorktreeList(gitDir).match(/^worktree /gm)?.length, 1)
  // The same ids can be used again afterwards.
  const again = (await worktrees.create({ runId: "orc_1", packageId: "pkg_1", baseCheckpoint: base })).dir
  assert.deepEqual(
    (await tree(again)).filter((path) => path !== ".git"),
    ["README.md", "src/a.ts", "src/b.ts"],
  )
})

test("a removal or a creation that stopped half-way is repaired by the next create", async () => {
  await using fixture = await setup()
  const { worktrees, base, gitDir } = fixture
  const ref = { runId: "orc_1", packageId: "pkg_1" }
  // The folder went, git's record stayed (a removal that crashed before the prune).
  const { dir } = await worktrees.create({ ...ref, baseCheckpoint: base })
  await rm(dir, { recursive: true })
  assert.equal((await worktrees.create({ ...ref, baseCheckpoint: base })).dir, dir)
  assert.equal(await fixture.read(dir, "src/a.ts"), "export const a = 1\n")
  assert.equal((await readdir(join(gitDir, "worktrees"))).length, 1)
  // A folder without a record (a create that crashed before git registered it).
  await worktrees.remove(ref)
  await mkdir(join(dir, "half"), { recursive: true })
  await writeFile(join(dir, "half", "written.txt"), "x")
  assert.equal((await worktrees.create({ ...ref, baseCheckpoint: base })).dir, dir)
  assert.deepEqual(
    (await tree(dir)).filter((path) => path !== ".git"),
    ["README.md", "src/a.ts", "src/b.ts"],
  )
})

test("ids that are not plain names and unknown bases are refused", async () => {
  await using fixture = await setup()
  const { worktrees, base } = fixture
  for (const id of ["..", "../x", "a/b", "-rf", "", ".hidden", "a b"]) {
    await rejectsWith(
      worktrees.create({ runId: id, packageId: "pkg_1", baseCheckpoint: base }),
      "PATH_INVALID",
    )
    await rejectsWith(
      worktrees.create({ runId: "orc_1", packageId: id, baseCheckpoint: base }),
      "PATH_INVALID",
    )
  }
  await rejectsWith(
    worktrees.create({ runId: "orc_1", packageId: "pkg_1", baseCheckpoint: "0".repeat(40) }),
    "CHECKPOINT_NOT_FOUND",
  )
  await rejectsWith(
    worktrees.create({ runId: "orc_1", packageId: "pkg_1", baseCheckpoint: "--output=/tmp/x" }),
    "CHECKPOINT_NOT_FOUND",
  )
  await rejectsWith(worktrees.merge({ runId: "orc_1", packageId: "pkg_9" }), "WORKTREE_NOT_FOUND")
})

test("a hostile package: links are merged as links, a rewritten .git file is ignored", async () => {
  await using fixture = await setup()
  const { worktrees, workspace, base } = fixture
  const outside = join(fixture.directory, "outside")
  await mkdir(outside)
  await writeFile(join(outside, "secret.txt"), "secret\n")
  const one = (await worktrees.create({ runId: "orc_1", packageId: "pkg_1", baseCheckpoint: base })).dir
  await symlink(join(outside, "secret.txt"), join(one, "evil"))
  await writeFile(join(one, ".git"), `gitdir: ${outside}\n`)
  await fixture.write(one, "src/a.ts", "export const a = 3\n")

  const result = await worktrees.merge({ runId: "orc_1", packageId: "pkg_1" })
  assert.ok(result.kind === "clean")
  assert.deepEqual(result.files, ["evil", "src/a.ts"])
  assert.ok((await lstat(join(workspace, "evil"))).isSymbolicLink())
  assert.equal(await readlink(join(workspace, "evil")), join(outside, "secret.txt"))
  assert.deepEqual(await readdir(outside), ["secret.txt"])
  await worktrees.remove({ runId: "orc_1", packageId: "pkg_1" })
  assert.deepEqual(await readdir(outside), ["secret.txt"])
  assert.equal(await readFile(join(outside, "secret.txt"), "utf8"), "secret\n")
})

test("a project folder swapped for a link out of the workspace is never written through", async () => {
  await using fixture = await setup()
  const { worktrees, workspace, base } = fixture
  const outside = join(fixture.directory, "outside")
  await mkdir(outside)
  const one = (await worktrees.create({ runId: "orc_1", packageId: "pkg_1", baseCheckpoint: base })).dir
  await fixture.write(one, "src/c.ts", "export const c = 1\n")
  await rm(join(workspace, "src"), { recursive: true })
  await symlink(outside, join(workspace, "src"))

  const result = await worktrees.merge({ runId: "orc_1", packageId: "pkg_1" })
  assert.equal(result.kind, "conflict")
  assert.deepEqual(await readdir(outside), [])
})

/** The project's checkpoints, with `afterBefore` run right after each "Before merging" checkpoint. */
function racing(checkpoints: Checkpoints, afterBefore: (attempt: number) => Promise<void>): Checkpoints {
  let attempt = 0
  return {
    ...checkpoints,
    async record(input) {
      const result = await checkpoints.record(input)
      if (input.message.startsWith("Before merging")) await afterBefore(++attempt)
      return result
    },
  }
}

test("a file changed under the merge is never overwritten: the merge starts over and sees it", async () => {
  await using fixture = await setup()
  const { workspace, gitDir, root, base } = fixture
  let attempts = 0
  const checkpoints = racing(fixture.checkpoints, async (attempt) => {
    attempts = attempt
    if (attempt === 1) await fixture.write(workspace, "src/a.ts", "export const a = 'person'\n")
  })
  const worktrees = createWorktrees({ root, workspace, gitDir, checkpoints })
  const one = (await worktrees.create({ runId: "orc_1", packageId: "pkg_1", baseCheckpoint: base })).dir
  await fixture.write(one, "src/a.ts", "export const a = 'package'\n")
  assert.deepEqual(await worktrees.merge({ runId: "orc_1", packageId: "pkg_1" }), {
    kind: "conflict",
    paths: ["src/a.ts"],
  })
  assert.equal(attempts, 2)
  assert.equal(await fixture.read(workspace, "src/a.ts"), "export const a = 'person'\n")
})

test("a change under the merge to a path the merge does not touch is kept", async () => {
  await using fixture = await setup()
  const { workspace, gitDir, root, base } = fixture
  const checkpoints = racing(fixture.checkpoints, async (attempt) => {
    if (attempt === 1) await fixture.write(workspace, "src/b.ts", "export const b = 'person'\n")
  })
  const worktrees = createWorktrees({ root, workspace, gitDir, checkpoints })
  const one = (await worktrees.create({ runId: "orc_1", packageId: "pkg_1", baseCheckpoint: base })).dir
  await fixture.write(one, "src/a.ts", "export const a = 'package'\n")
  const result = await worktrees.merge({ runId: "orc_1", packageId: "pkg_1" })
  assert.ok(result.kind === "clean")
  assert.deepEqual(result.files, ["src/a.ts"])
  assert.equal(await fixture.read(workspace, "src/a.ts"), "export const a = 'package'\n")
  assert.equal(await fixture.read(workspace, "src/b.ts"), "export const b = 'person'\n")
})

test("a folder swapped for a link out of the workspace during the merge is not written through", async () => {
  await using fixture = await setup()
  const { workspace, gitDir, root, base } = fixture
  const outside = join(fixture.directory, "outside")
  await mkdir(outside)
  const checkpoints = racing(fixture.checkpoints, async (attempt) => {
    if (attempt !== 1) return
    await rm(join(workspace, "src"), { recursive: true })
    await symlink(outside, join(workspace, "src"))
  })
  const worktrees = createWorktrees({ root, workspace, gitDir, checkpoints })
  const one = (await worktrees.create({ runId: "orc_1", packageId: "pkg_1", baseCheckpoint: base })).dir
  await fixture.write(one, "src/c.ts", "export const c = 1\n")
  await worktrees.merge({ runId: "orc_1", packageId: "pkg_1" }).catch(() => undefined)
  assert.deepEqual(await readdir(outside), [])
})

test("a project whose files never hold still: MERGE_WORKSPACE_CHANGED after three attempts", async () => {
  await using fixture = await setup()
  const { workspace, gitDir, root } = fixture
  const lines = (first: string, last: string) =>
    [first, ...Array.from({ length: 8 }, (_, index) => `line ${index}`), last, ""].join("\n")
  await fixture.write(workspace, "src/long.ts", lines("first", "last"))
  const base = (await fixture.checkpoints.record({ message: "base" })).id
  // After each "before" checkpoint a person edits the file's far end: it merges cleanly with the
  // package's edit, but the file is never what the checkpoint says by the time it would be written.
  const checkpoints = racing(fixture.checkpoints, async (attempt) => {
    await fixture.write(workspace, "src/long.ts", lines("first", `last, edit ${attempt}`))
  })
  const worktrees = createWorktrees({ root, workspace, gitDir, checkpoints })
  const one = (await worktrees.create({ runId: "orc_1", packageId: "pkg_1", baseCheckpoint: base })).dir
  await fixture.write(one, "src/long.ts", lines("first, by the package", "last"))
  await rejectsWith(worktrees.merge({ runId: "orc_1", packageId: "pkg_1" }), "MERGE_WORKSPACE_CHANGED")
  assert.equal(await fixture.read(workspace, "src/long.ts"), lines("first", "last, edit 3"))
})
