import { randomUUID } from "node:crypto"
import { rm } from "node:fs/promises"
import { join } from "node:path"
import { AppError } from "@xionimus/kit"
import { type CheckpointGitOptions, gitFailed, runGit } from "./checkpoints-git.ts"
import type { Checkpoints } from "./checkpoints-types.ts"
import type { WorktreeMerge } from "./worktrees-types.ts"

/** How often the merge starts over when the project's files change under it before it gives up. */
const maxAttempts = 3

export interface MergeInput {
  /** The project: hidden repository and workspace. */
  project: CheckpointGitOptions
  /** The package's worktree: its record in the repository (`worktrees/<name>`) and its folder. */
  worktree: CheckpointGitOptions
  checkpoints: Checkpoints
  label: { runId: string; packageId: string }
  /** The base the caller believes the worktree was made from: refused when it is another. */
  expectedBase?: string
  /** The message of the merge's checkpoint. */
  message?: string
}

async function text(git: CheckpointGitOptions, args: string[]): Promise<string> {
  return (await runGit(git, args)).stdout.toString("utf8").trim()
}

/** Zero-separated path list → unique paths, sorted. */
function pathList(raw: string): string[] {
  return [...new Set(raw.split("\0").filter((path) => path !== ""))].sort()
}

/**
 * Three-way merge of the package's worktree into the project. The base is the commit the worktree was
 * checked out at; the package's side is its files now; the project's side is a checkpoint recorded
 * now. `git merge-tree --write-tree` computes the result without touching any work tree; both sides
 * are given as children of the base so that the merge base is exactly it, whatever the history did
 * since (restores, other merges). A clean result is written into the workspace by a two-tree
 * `read-tree -m -u` on an index of its own, which refuses to overwrite a file that changed since the
 * checkpoint (then the merge starts over), and is recorded as one checkpoint.
 */
export async function mergeWorktree(input: MergeInput): Promise<WorktreeMerge> {
  const { project, worktree, checkpoints, label } = input
  const meta = { runId: label.runId, packageId: label.packageId }
  const base = await text(worktree, ["rev-parse", "--verify", "HEAD^{commit}"])
  if (input.expectedBase !== undefined && input.expectedBase !== base) {
    throw new AppError(
      "CHECKPOINT_NOT_FOUND",
      `Package ${label.packageId} of run ${label.runId} was made from checkpoint ${base.slice(0, 12)}, not ${String(input.expectedBase).slice(0, 80)}.`,
      { ...label, base, expectedBase: input.expectedBase },
    )
  }
  await runGit(worktree, ["add", "--all", "--ignore-errors", "--", "."], { allowedExitCodes: [0, 1] })
  const packageTree = await text(worktree, ["write-tree"])
  const packageCommit = await commit(
    project,
    packageTree,
    base,
    `Package ${label.packageId} of ${label.runId}`,
  )

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const before = await checkpoints.record({
      message: `Before merging ${label.packageId} of ${label.runId}`,
      meta,
    })
    const currentTree = await text(project, ["rev-parse", "--verify", `${before.id}^{tree}`])
    const current = await commit(project, currentTree, base, "The project before the merge")
    const merged = await runGit(
      project,
      ["merge-tree", "--write-tree", "-z", "--name-only", "--no-messages", current, packageCommit],
      { allowedExitCodes: [0, 1], withoutWorkTree: true },
    )
    const [resultTree = "", ...conflicted] = merged.stdout.toString("utf8").split("\0")
    if (merged.exitCode === 1) return { kind: "conflict", paths: pathList(conflicted.join("\0")) }
    if (resultTree === currentTree)
      return { kind: "clean", files: [], checkpointId: before.id, beforeCheckpointId: before.id }

    const changed = await runGit(
      project,
      ["diff-tree", "-r", "-z", "--name-only", "--no-renames", currentTree, resultTree],
      {
        withoutWorkTree: true,
      },
    )
    if (!(await apply(project, currentTree, resultTree))) continue
    const after = await checkpoints.record({
      message: input.message ?? `Merged ${label.packageId} of ${label.runId}`,
      meta: { ...meta, packageCommit },
    })
    return {
      kind: "clean",
      files: pathList(changed.stdout.toString("utf8")),
      checkpointId: after.id,
      beforeCheckpointId: before.id,
    }
  }
  throw new AppError(
    "MERGE_WORKSPACE_CHANGED",
    `The project's files kept changing while package ${label.packageId} was merged. Merge again when the project is quiet.`,
    meta,
  )
}

async function commit(
  git: CheckpointGitOptions,
  tree: string,
  parent: string,
  message: string,
): Promise<string> {
  const output = await runGit(git, ["commit-tree", tree, "-p", parent, "-F", "-"], {
    stdin: `${message}\n`,
    withoutWorkTree: true,
  })
  return output.stdout.toString("utf8").trim()
}

/**
 * Moves the workspace from `fromTree` to `toTree`, touching only the paths that differ. False (and
 * nothing written) when one of those paths no longer holds what `fromTree` says, or is in the way.
 */
async function apply(project: CheckpointGitOptions, fromTree: string, toTree: string): Promise<boolean> {
  const indexFile = join(project.gitDir, `merge-${randomUUID()}.index`)
  try {
    await runGit(project, ["read-tree", fromTree], { indexFile })
    // Stat data for the files that still match, so that read-tree can tell which ones changed.
    await runGit(project, ["update-index", "-q", "--refresh"], { indexFile, allowedExitCodes: [0, 1] })
    const args = ["read-tree", "-m", "-u", fromTree, toTree]
    const output = await runGit(project, args, { indexFile, allowedExitCodes: [0, 128] })
    if (output.exitCode === 0) return true
    if (/not uptodate|would be overwritten|would be lost|untracked working tree/i.test(output.stderr))
      return false
    throw gitFailed(args, output)
  } finally {
    await rm(indexFile, { force: true })
    await rm(`${indexFile}.lock`, { force: true })
  }
}
