import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  unlink,
  writeFile,
} from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { test } from "node:test"
import { checkpointGitDir, createCheckpoints } from "../src/index.ts"
import { rejectsWith, treeOf } from "./workspace-fixture.ts"

async function setup() {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-checkpoints-"))
  const workspace = join(directory, "workspaces", "prj_a")
  await mkdir(workspace, { recursive: true })
  const gitDir = checkpointGitDir(join(directory, "workspaces"), "prj_a")
  return {
    directory,
    workspace,
    gitDir,
    checkpoints: createCheckpoints({ workspace, gitDir }),
    write: async (path: string, content: string) => {
      await mkdir(join(workspace, path, ".."), { recursive: true })
      await writeFile(join(workspace, path), content)
    },
    [Symbol.asyncDispose]: () => rm(directory, { recursive: true, force: true }),
  }
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
  })

test("the hidden repository lies beside the workspaces, never inside the workspace", async () => {
  await using fixture = await setup()
  assert.equal(fixture.gitDir, join(fixture.directory, "checkpoints", "prj_a.git"))
  await fixture.write("a.txt", "a")
  await fixture.checkpoints.record({ message: "first" })
  assert.ok((await lstat(join(fixture.gitDir, "HEAD"))).isFile())
  assert.deepEqual(await readdir(fixture.workspace), ["a.txt"])
  const inside = createCheckpoints({ workspace: fixture.workspace, gitDir: join(fixture.workspace, ".cp") })
  await rejectsWith(inside.record({ message: "x" }), "CHECKPOINT_FAILED")
})

test("record, list, diff and restore, including deletions, in a project without its own git", async () => {
  await using fixture = await setup()
  const { checkpoints, write, workspace } = fixture
  await write("src/a.ts", "one\n")
  await write("README.md", "readme\n")
  const first = await checkpoints.record({ message: "start", meta: { sessionId: "ses_1", callId: "call_1" } })
  assert.equal(first.changed, true)
  assert.deepEqual(await checkpoints.record({ message: "again" }), { id: first.id, changed: false })

  await write("src/a.ts", "one\ntwo\n")
  await write("src/new.ts", "new\n")
  await unlink(join(workspace, "README.md"))
  const live = await checkpoints.diff(first.id)
  assert.equal(live.to, null)
  assert.deepEqual(
    live.files.sort((a, b) => a.path.localeCompare(b.path)),
    [
      { path: "README.md", change: "deleted", additions: 0, deletions: 1 },
      { path: "src/a.ts", change: "modified", additions: 1, deletions: 0 },
      { path: "src/new.ts", change: "added", additions: 1, deletions: 0 },
    ],
  )
  assert.match(live.patch, /\+two/)
  const second = await checkpoints.record({ message: "edit", meta: { callId: "call_2" } })
  assert.equal(second.changed, true)
  assert.deepEqual((await checkpoints.diff(first.id, second.id)).files.length, 3)

  const listed = await checkpoints.list()
  assert.deepEqual(
    listed.map((checkpoint) => [checkpoint.message, checkpoint.meta, checkpoint.parent]),
    [
      ["edit", { callId: "call_2" }, first.id],
      ["start", { sessionId: "ses_1", callId: "call_1" }, null],
    ],
  )

  await write("later.txt", "made after the edit\n")
  await write("extra/deep/file.txt", "in a new folder\n")
  const { before } = await checkpoints.restore(first.id)
  assert.deepEqual(await treeOf(workspace), ["README.md", "src/", "src/a.ts"])
  assert.equal(await readFile(join(workspace, "src/a.ts"), "utf8"), "one\n")
  // The restore itself can be undone.
  await checkpoints.restore(before)
  assert.deepEqual(await treeOf(workspace), [
    "extra/",
    "extra/deep/",
    "extra/deep/file.txt",
    "later.txt",
    "src/",
    "src/a.ts",
    "src/new.ts",
  ])
  await rejectsWith(checkpoints.restore("0".repeat(40)), "CHECKPOINT_NOT_FOUND")
  await rejectsWith(checkpoints.diff("--output=/tmp/x"), "CHECKPOINT_NOT_FOUND")
})

test("a project with its own git: its .git is never snapshotted nor touched, its .gitignore is honoured", async () => {
  await using fixture = await setup()
  const { checkpoints, write, workspace } = fixture
  git(workspace, "init", "-q")
  await write("app.js", "v1\n")
  await write(".gitignore", "node_modules/\n")
  await write("node_modules/dep/index.js", "dep\n")
  git(workspace, "add", "-A")
  git(workspace, "commit", "-qm", "own commit")
  const ownBefore = await treeOf(join(workspace, ".git"))
  const ownHead = git(workspace, "rev-parse", "HEAD")
  const first = await checkpoints.record({ message: "start" })
  const tracked = execFileSync(
    "git",
    [`--git-dir=${fixture.gitDir}`, "ls-tree", "-r", "--name-only", first.id],
    { encoding: "utf8" },
  )
  assert.deepEqual(tracked.trim().split("\n"), [".gitignore", "app.js"])

  await write("app.js", "v2\n")
  git(workspace, "commit", "-qam", "second own commit")
  const ownAfterCommit = await treeOf(join(workspace, ".git"))
  await checkpoints.restore(first.id)
  assert.equal(await readFile(join(workspace, "app.js"), "utf8"), "v1\n")
  assert.deepEqual(await treeOf(join(workspace, ".git")), ownAfterCommit)
  assert.notEqual(git(workspace, "rev-parse", "HEAD"), ownHead, "the project's own history is its own")
  assert.ok(ownBefore.length > 0)
  assert.equal(await readFile(join(workspace, "node_modules/dep/index.js"), "utf8"), "dep\n")
})

test("symlinks are recorded as links and never followed, on record or restore", async () => {
  await using fixture = await setup()
  const { checkpoints, write, workspace, directory } = fixture
  const outside = join(directory, "outside")
  await mkdir(outside)
  await writeFile(join(outside, "secret.txt"), "secret\n")
  await symlink(outside, join(workspace, "escape"))
  await symlink(join(outside, "secret.txt"), join(workspace, "secret-link"))
  await write("src/x.txt", "inside\n")
  const first = await checkpoints.record({ message: "links" })
  const blob = execFileSync(
    "git",
    [`--git-dir=${fixture.gitDir}`, "cat-file", "-p", `${first.id}:secret-link`],
    { encoding: "utf8" },
  )
  assert.equal(blob, join(outside, "secret.txt"), "the link's target, not the secret")
  const files = execFileSync("git", [`--git-dir=${fixture.gitDir}`, "ls-tree", "-r", first.id], {
    encoding: "utf8",
  })
  assert.doesNotMatch(files, /escape\/secret/)

  // The workspace turns hostile: src becomes a link out; restoring must write into a real src folder.
  await rm(join(workspace, "src"), { recursive: true })
  await symlink(outside, join(workspace, "src"))
  await checkpoints.restore(first.id)
  assert.ok((await lstat(join(workspace, "src"))).isDirectory())
  assert.equal(await readFile(join(workspace, "src/x.txt"), "utf8"), "inside\n")
  assert.deepEqual(await readdir(outside), ["secret.txt"])
  assert.equal(await readlink(join(workspace, "escape")), outside)
})

test("hooks planted in the hidden repository or the workspace never run", async () => {
  await using fixture = await setup()
  const { checkpoints, write, workspace, directory, gitDir } = fixture
  await write("a.txt", "a\n")
  await checkpoints.record({ message: "first" })
  const marker = join(directory, "hook-ran")
  for (const hooks of [join(gitDir, "hooks"), join(workspace, ".git", "hooks")]) {
    await mkdir(hooks, { recursive: true })
    for (const name of [
      "pre-commit",
      "post-commit",
      "post-checkout",
      "reference-transaction",
      "post-index-change",
    ])
      await writeFile(join(hooks, name), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 })
  }
  // A filter driver named by the workspace's attributes is not defined in our config, so nothing runs.
  await write(".gitattributes", "*.txt filter=evil diff=evil\n")
  await write("b.txt", "b\n")
  const second = await checkpoints.record({ message: "second" })
  await checkpoints.diff(second.id)
  await checkpoints.restore(second.id)
  await assert.rejects(lstat(marker), { code: "ENOENT" })
})

test("operations run one at a time", async () => {
  await using fixture = await setup()
  const results = await Promise.all(
    Array.from({ length: 5 }, async (_, index) => {
      await fixture.write(`f${index}.txt`, String(index))
      return fixture.checkpoints.record({ message: `r${index}` })
    }),
  )
  assert.ok(results.every((result) => /^[0-9a-f]{40}$/.test(result.id)))
  const list = await fixture.checkpoints.list()
  assert.ok(list.length >= 1 && list.length <= 5)
  assert.equal((await fixture.checkpoints.list({ limit: 1 })).length, 1)
})

test("a workspace owned by another user (files written by the sandbox) is still checkpointed", async (context) => {
  if (process.getuid?.() !== 0) return context.skip("needs root to hand the workspace to another user")
  await using fixture = await setup()
  await fixture.write("a.txt", "a\n")
  execFileSync("chown", ["-R", "65534:65534", fixture.workspace])
  const first = await fixture.checkpoints.record({ message: "foreign owner" })
  await fixture.write("a.txt", "b\n")
  await fixture.checkpoints.restore(first.id)
  assert.equal(await readFile(join(fixture.workspace, "a.txt"), "utf8"), "a\n")
})
