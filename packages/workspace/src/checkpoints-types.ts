import type { Logger } from "@xionimus/kit"

export interface CheckpointsOptions {
  /** Host path of the project's workspace (the work tree). Treated as hostile. */
  workspace: string
  /**
   * The hidden repository, outside the workspace (see `checkpointGitDir`). Created on first use;
   * never the project's own `.git`.
   */
  gitDir: string
  /** The git executable; defaults to "git" on PATH. */
  gitBinary?: string
  logger?: Logger
}

export interface Checkpoint {
  /** The commit id in the hidden repository. */
  id: string
  /** The checkpoint before it, or null for the first. */
  parent: string | null
  message: string
  /** What the caller attached (session, message, tool call ids). */
  meta: Record<string, string>
  time: string
}

export interface CheckpointFileChange {
  path: string
  change: "added" | "modified" | "deleted" | "type-changed"
  /** Lines added and deleted; null for binary files. */
  additions: number | null
  deletions: number | null
}

export interface CheckpointDiff {
  from: string
  /** Null when compared with the workspace as it is now. */
  to: string | null
  files: CheckpointFileChange[]
  /** Unified diff of every text file (binary files named only). */
  patch: string
  /** True when the patch was cut at its size limit (files is always complete). */
  patchTruncated: boolean
}

/**
 * Snapshots of one project's files in a hidden git repository beside the workspace. The project's own
 * `.git` is never read or written; files its `.gitignore` ignores are not snapshotted.
 */
export interface Checkpoints {
  /**
   * Snapshots the workspace as it is now. When nothing changed since the last checkpoint, no commit is
   * made and the last checkpoint's id comes back with `changed: false`.
   */
  record(input: { message: string; meta?: Record<string, string> }): Promise<{ id: string; changed: boolean }>
  /** Changes from one checkpoint to another, or to the workspace as it is now. Raises CHECKPOINT_NOT_FOUND. */
  diff(from: string, to?: string): Promise<CheckpointDiff>
  /**
   * Puts the workspace's files back as they were at the checkpoint, deleting files made since. The
   * state it replaces is recorded first, so a restore can itself be undone (`before`).
   */
  restore(id: string): Promise<{ before: string }>
  /** Newest first. */
  list(options?: { limit?: number }): Promise<Checkpoint[]>
}
