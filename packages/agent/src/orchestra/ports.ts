import type { ProjectRuntime } from "../types.ts"

/**
 * The ports the orchestra's run engine is handed by the composition root (the server or the CLI).
 * Tests hand it fakes; the real worktrees live in worktrees.ts (git worktrees of the hidden
 * checkpoint repository, docs/orchestra.md "Parallel work and merging").
 */

/** Where a package's worktree is and what it was made from. */
export interface WorktreeRef {
  runId: string
  packageId: string
}

/** A merge back into the project: clean (with the files it changed) or a conflict (never last-writer-wins). */
export type MergeResult =
  | {
      kind: "clean"
      /** Paths (relative to the project root) the merge changed in the project. */
      files: string[]
      /** The checkpoint recorded in the project after the merge, when one was recorded. */
      checkpointId?: string
    }
  | {
      kind: "conflict"
      /** Paths changed both in the package and in the project since the base checkpoint. */
      paths: string[]
    }

/** One git worktree per implementer package, merged back explicitly. */
export interface Worktrees {
  /**
   * Creates the package's worktree at `baseCheckpoint` (a checkpoint id of the project's hidden
   * repository) and returns its directory. Idempotent: called again for the same run and package
   * (a resumed run) it returns the existing directory unchanged.
   */
  create(input: WorktreeRef & { baseCheckpoint: string }): Promise<{ dir: string }>
  /**
   * Three-way merge of base, the package's worktree as it is now (its changes committed first) and
   * the project's current files. A clean merge is applied to the project; a conflict changes nothing.
   */
  merge(input: WorktreeRef & { baseCheckpoint: string; message: string }): Promise<MergeResult>
  /** Removes the worktree and its directory; a missing one is no error. */
  remove(input: WorktreeRef): Promise<void>
}

/** The files, sandbox and checkpoints a role's step works on. */
export interface RunRuntimes {
  /**
   * The runtime of the project (`dir` absent: conductor, reviewer and tester steps on the project)
   * or of a package worktree (`dir` from Worktrees.create: implementer steps).
   */
  runtimeFor(input: {
    projectId: string
    runId: string
    packageId?: string
    dir?: string
  }): Promise<ProjectRuntime>
  /** The project's current checkpoint id (recorded now when the files changed): a run's base. */
  baseCheckpoint(projectId: string): Promise<string>
}
