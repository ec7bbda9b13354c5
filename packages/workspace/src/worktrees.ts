import { lstat, mkdir, readdir, readFile, realpath, rm, rmdir } from "node:fs/promises"
import { dirname, join } from "node:path"
import { AppError, silentLogger } from "@xionimus/kit"
import { type CheckpointGitOptions, runGit } from "./checkpoints-git.ts"
import { isInside } from "./confined-path.ts"
import { createKeyedLock } from "./keyed-lock.ts"
import { mergeWorktree } from "./worktree-merge.ts"
import type { Worktrees, WorktreesOptions } from "./worktrees-types.ts"

/** Run and package ids become folder names: plain names only (no dots, slashes or leading dash). */
const namePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/
const commitIdPattern = /^[0-9a-f]{40}([0-9a-f]{24})?$/

/** Where the orchestra's worktrees live: beside the workspaces' root, like the checkpoints. */
export function orchestraRoot(workspacesRoot: string): string {
  return join(dirname(workspacesRoot), "orchestra")
}

interface Paths {
  root: string
  /** The project's hidden repository and workspace, as real paths. */
  project: CheckpointGitOptions
}

export function createWorktrees(options: WorktreesOptions): Worktrees {
  const logger = options.logger ?? silentLogger()
  const gitBinary = options.gitBinary ?? "git"
  const lock = createKeyedLock()
  let ready: Promise<Paths> | undefined

  function prepare(): Promise<Paths> {
    ready ??= initialise().catch((error: unknown) => {
      ready = undefined
      throw error
    })
    return ready
  }

  async function initialise(): Promise<Paths> {
    // Creates the hidden repository when the project never had a checkpoint (then no base exists either).
    await options.checkpoints.list({ limit: 1 })
    const workspace = await realpath(options.workspace)
    const gitDir = await realpath(options.gitDir)
    await mkdir(options.root, { recursive: true, mode: 0o700 })
    const root = await realpath(options.root)
    if (isInside(workspace, root) || isInside(root, workspace)) {
      throw new AppError("CHECKPOINT_FAILED", "The orchestra's worktrees must lie outside the workspace.", {
        root,
        workspace,
      })
    }
    return { root, project: { gitBinary, gitDir, workspace } }
  }

  function checkName(kind: string, value: string): string {
    if (typeof value !== "string" || !namePattern.test(value)) {
      throw new AppError(
        "PATH_INVALID",
        `The ${kind} id "${String(value).slice(0, 80)}" cannot name a worktree folder: use letters, digits, "_" and "-".`,
        { [kind]: value },
      )
    }
    return value
  }

  function folder(paths: Paths, runId: string, packageId: string): string {
    return join(paths.root, checkName("run", runId), checkName("package", packageId))
  }

  /** The repository's record of the worktree at `directory` (`<gitDir>/worktrees/<name>`), or null. */
  async function adminDirectory(paths: Paths, directory: string): Promise<string | null> {
    const registry = join(paths.project.gitDir, "worktrees")
    const names = await readdir(registry).catch(() => [] as string[])
    for (const name of names) {
      // The registry lies in the hidden repository, out of the sandbox's reach; the worktree's own
      // `.git` file does not and is never read.
      const pointer = await readFile(join(registry, name, "gitdir"), "utf8").catch(() => "")
      if (pointer.trim() === join(directory, ".git")) return join(registry, name)
    }
    return null
  }

  async function verifyBase(paths: Paths, id: string): Promise<string> {
    const missing = () =>
      new AppError(
        "CHECKPOINT_NOT_FOUND",
        `There is no checkpoint ${String(id).slice(0, 80)} for this project.`,
        {
          id,
        },
      )
    if (typeof id !== "string" || !commitIdPattern.test(id)) throw missing()
    const output = await runGit(paths.project, ["cat-file", "-e", `${id}^{commit}`], {
      allowedExitCodes: [0, 1, 128],
      withoutWorkTree: true,
    })
    if (output.exitCode !== 0) throw missing()
    return id
  }

  async function runFolder(paths: Paths, runId: string): Promise<string> {
    const directory = join(paths.root, checkName("run", runId))
    await mkdir(directory, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error
    })
    const stat = await lstat(directory)
    if (!stat.isDirectory()) {
      throw new AppError("PATH_OUTSIDE_WORKSPACE", `The run folder ${runId} is not a plain directory.`, {
        runId,
      })
    }
    return directory
  }

  async function prune(paths: Paths): Promise<void> {
    await runGit(paths.project, ["worktree", "prune"], { withoutWorkTree: true })
  }

  return {
    directory(runId, packageId) {
      return join(options.root, checkName("run", runId), checkName("package", packageId))
    },

    async create({ runId, packageId, baseCheckpoint }) {
      const paths = await prepare()
      const directory = folder(paths, runId, packageId)
      // git's worktree records are shared by the project's worktrees: a `worktree prune` while another
      // `worktree add` is half-way fails on its half-written record ("failed to read …/commondir"), so
      // creating, pruning and removing take the project's lock (the packages' work still runs in parallel).
      return lock.run([paths.project.gitDir, directory], async () => {
        const base = await verifyBase(paths, baseCheckpoint)
        await runFolder(paths, runId)
        const folderExists = await lstat(directory).then(
          (stat) => stat.isDirectory(),
          () => false,
        )
        if (folderExists && (await adminDirectory(paths, directory))) return { dir: directory }
        // A folder without git's record is a leftover of a create that crashed half-way; a record
        // without its folder one of a removal that did (prune drops it).
        await rm(directory, { recursive: true, force: true })
        await prune(paths)
        await runGit(paths.project, ["worktree", "add", "--detach", "--quiet", directory, base], {
          withoutWorkTree: true,
        })
        logger.debug({ runId, packageId, base }, "worktree created")
        return { dir: directory }
      })
    },

    async merge({ runId, packageId, baseCheckpoint, message }) {
      const paths = await prepare()
      const directory = folder(paths, runId, packageId)
      // One merge at a time per project (they read and write its workspace), and none while the
      // package's worktree is created or removed.
      return lock.run([paths.project.gitDir, directory], async () => {
        const admin = await adminDirectory(paths, directory)
        if (!admin) {
          throw new AppError("WORKTREE_NOT_FOUND", `Package ${packageId} of run ${runId} has no worktree.`, {
            runId,
            packageId,
          })
        }
        const result = await mergeWorktree({
          project: paths.project,
          worktree: { gitBinary, gitDir: admin, workspace: directory },
          checkpoints: options.checkpoints,
          label: { runId, packageId },
          ...(baseCheckpoint === undefined ? {} : { expectedBase: baseCheckpoint }),
          ...(message === undefined ? {} : { message }),
        })
        logger.info({ runId, packageId, kind: result.kind }, "worktree merged")
        return result
      })
    },

    async remove({ runId, packageId }) {
      const paths = await prepare()
      const directory = folder(paths, runId, packageId)
      await lock.run([paths.project.gitDir, directory], async () => {
        // rm never follows symlinks inside the folder: it deletes the links themselves. A directory another
        // process still fills (a command's last writes) is retried rather than left half-removed (ENOTEMPTY).
        await rm(directory, removeOptions)
        await prune(paths)
        await rmdir(dirname(directory)).catch(() => undefined)
      })
    },

    async removeRun(runId) {
      const paths = await prepare()
      const directory = join(paths.root, checkName("run", runId))
      await lock.run([paths.project.gitDir], async () => {
        await rm(directory, removeOptions)
        await prune(paths)
      })
    },
  }
}

const removeOptions = { recursive: true, force: true, maxRetries: 5, retryDelay: 50 } as const
