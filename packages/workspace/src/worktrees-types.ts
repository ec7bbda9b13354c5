import type { Logger } from "@xionimus/kit"
import type { Checkpoints } from "./checkpoints-types.ts"

export interface WorktreesOptions {
  /**
   * Where the worktrees live (`<data>/orchestra`, see `orchestraRoot`): one folder per run, one per
   * package inside it. Never inside a workspace.
   */
  root: string
  /** Host path of the project's workspace, where clean merges land. Treated as hostile. */
  workspace: string
  /** The project's hidden checkpoint repository (see `checkpointGitDir`). */
  gitDir: string
  /** The project's checkpoints (same workspace and repository): merges are recorded through them. */
  checkpoints: Checkpoints
  /** The git executable; defaults to "git" on PATH. */
  gitBinary?: string
  logger?: Logger
}

/** A merge that applied: the project's files changed by it and the checkpoint that records it. */
export interface CleanMerge {
  kind: "clean"
  /** Paths (relative to the project) the merge changed; empty when the package changed nothing new. */
  files: string[]
  /** The checkpoint recorded after the merge (the project's last checkpoint when nothing changed). */
  checkpointId: string
  /** The checkpoint recorded just before the merge: restoring it undoes the merge. */
  beforeCheckpointId: string
}

/** A merge that did not apply because both sides changed the same lines (or one deleted what the other edited). */
export interface ConflictedMerge {
  kind: "conflict"
  /** The paths changed on both sides in ways that overlap; the project is left as it was. */
  paths: string[]
}

export type WorktreeMerge = CleanMerge | ConflictedMerge

/** A package's worktree: the run and the package (plain names; they become folder names). */
export interface WorktreeRef {
  runId: string
  packageId: string
}

/**
 * Git worktrees of a project's hidden checkpoint repository, one per orchestra work package, so that
 * implementers can change files in parallel without seeing each other's half-done work. Merging back
 * is explicit and three-way (the run's base, the package's result, the project as it is now); changes
 * that overlap are reported, never overwritten. One instance per project (merges are serialised in it).
 * Its shape is the orchestra's `Worktrees` port (packages/agent/src/orchestra/ports.ts).
 */
export interface Worktrees {
  /**
   * Checks out `baseCheckpoint` into `<root>/<runId>/<packageId>` and returns that folder. Calling it
   * again for an existing worktree returns the folder as it is (a resumed run keeps its work).
   * Raises PATH_INVALID for an id that is not a plain name, CHECKPOINT_NOT_FOUND for an unknown base.
   */
  create(input: WorktreeRef & { baseCheckpoint: string }): Promise<{ dir: string }>
  /**
   * Merges the package's files (as they are in its worktree now) into the project: clean merges are
   * written to the workspace as one change and recorded as a checkpoint; overlapping changes come
   * back as a conflict with their paths and the workspace is not touched. The worktree stays (remove
   * it after). `message` names the merge's checkpoint; `baseCheckpoint`, when given, must be the one
   * the worktree was made from. Raises WORKTREE_NOT_FOUND, CHECKPOINT_NOT_FOUND for another base, and
   * MERGE_WORKSPACE_CHANGED when the project's files kept changing under the merge.
   */
  merge(input: WorktreeRef & { baseCheckpoint?: string; message?: string }): Promise<WorktreeMerge>
  /** Deletes the package's worktree and git's record of it; no-op when it does not exist. */
  remove(input: WorktreeRef): Promise<void>
  /** Deletes every worktree of the run and the run's folder. */
  removeRun(runId: string): Promise<void>
  /** The folder of a package's worktree (whether or not it exists). */
  directory(runId: string, packageId: string): string
}
