import { lstat, mkdir, realpath, writeFile } from "node:fs/promises"
import { dirname, join, relative } from "node:path"
import { AppError, silentLogger } from "@xionimus/kit"
import { type CheckpointGitOptions, runGit } from "./checkpoints-git.ts"
import { parseChanges } from "./checkpoints-parse.ts"
import type { Checkpoint, Checkpoints, CheckpointsOptions } from "./checkpoints-types.ts"
import { isInside } from "./confined-path.ts"

const metaPrefix = "Xionimus-Meta: "
const maxPatchBytes = 2 * 1024 * 1024
const commitIdPattern = /^[0-9a-f]{40}([0-9a-f]{24})?$/

/**
 * The hidden repository's whole config, written on every start: ours, whatever was there. Hooks and
 * fsmonitor off; the user's global excludes and attributes never consulted; no automatic gc.
 */
const repositoryConfig = `[core]
\trepositoryformatversion = 0
\tfilemode = true
\tbare = true
\thooksPath = /dev/null
\tfsmonitor = false
\tsymlinks = true
\tautocrlf = false
\tsafecrlf = false
\texcludesFile = /dev/null
\tattributesFile = /dev/null
\tquotePath = false
\tuntrackedCache = true
[index]
\tversion = 4
[gc]
\tauto = 0
[maintenance]
\tauto = false
[commit]
\tgpgSign = false
[submodule]
\trecurse = false
[user]
\tname = Xionimus checkpoints
\temail = checkpoints@xionimus.invalid
`

/** Where a project's hidden repository lives: beside the workspaces' root, never inside a workspace. */
export function checkpointGitDir(workspacesRoot: string, projectId: string): string {
  return join(dirname(workspacesRoot), "checkpoints", `${projectId}.git`)
}

export function createCheckpoints(options: CheckpointsOptions): Checkpoints {
  const logger = options.logger ?? silentLogger()
  let ready: Promise<CheckpointGitOptions> | undefined
  let queue: Promise<unknown> = Promise.resolve()

  /** One git operation at a time: they share the index. */
  function serial<T>(work: (git: CheckpointGitOptions) => Promise<T>): Promise<T> {
    const next = queue.then(async () => work(await prepare()))
    queue = next.catch(() => undefined)
    return next
  }

  function prepare(): Promise<CheckpointGitOptions> {
    ready ??= initialise(options).catch((error: unknown) => {
      ready = undefined
      throw error
    })
    return ready
  }

  async function head(git: CheckpointGitOptions): Promise<{ id: string; tree: string } | null> {
    const output = await runGit(git, ["show", "-s", "--format=%H %T", "HEAD", "--"], {
      allowedExitCodes: [0, 128],
    })
    if (output.exitCode !== 0) return null
    const [id, tree] = output.stdout.toString("utf8").trim().split(" ")
    return { id: id!, tree: tree! }
  }

  async function stage(git: CheckpointGitOptions): Promise<void> {
    // --ignore-errors: an unreadable file is left out rather than failing the whole checkpoint.
    await runGit(git, ["add", "--all", "--ignore-errors", "--", "."], { allowedExitCodes: [0, 1] })
  }

  async function recordNow(git: CheckpointGitOptions, message: string, meta: Record<string, string>) {
    await stage(git)
    const tree = (await runGit(git, ["write-tree"])).stdout.toString("utf8").trim()
    const last = await head(git)
    if (last && last.tree === tree) return { id: last.id, changed: false }
    const body =
      Object.keys(meta).length > 0 ? `${message}\n\n${metaPrefix}${JSON.stringify(meta)}\n` : `${message}\n`
    const parents = last ? ["-p", last.id] : []
    const commit = await runGit(git, ["commit-tree", tree, ...parents, "-F", "-"], { stdin: body })
    const id = commit.stdout.toString("utf8").trim()
    await runGit(git, ["update-ref", "HEAD", id, ...(last ? [last.id] : [])])
    logger.debug({ checkpoint: id, message }, "checkpoint recorded")
    return { id, changed: true }
  }

  async function verify(git: CheckpointGitOptions, id: string): Promise<string> {
    const missing = () =>
      new AppError(
        "CHECKPOINT_NOT_FOUND",
        `There is no checkpoint ${String(id).slice(0, 80)} for this project.`,
        { id },
      )
    if (typeof id !== "string" || !commitIdPattern.test(id)) throw missing()
    const output = await runGit(git, ["cat-file", "-e", `${id}^{commit}`], { allowedExitCodes: [0, 1, 128] })
    if (output.exitCode !== 0) throw missing()
    return id
  }

  return {
    record({ message, meta = {} }) {
      return serial((git) => recordNow(git, message, meta))
    },

    diff(from, to) {
      return serial(async (git) => {
        const base = await verify(git, from)
        const target = to === undefined ? undefined : await verify(git, to)
        // Against the workspace: stage it first, so that new files are seen too.
        if (target === undefined) await stage(git)
        const range = target === undefined ? ["--cached", base] : [base, target]
        const common = ["diff", "--no-ext-diff", "--no-textconv", "--no-renames", "--no-color"]
        const raw = await runGit(git, [...common, "--raw", "--numstat", "-z", ...range, "--"])
        const patch = await runGit(git, [...common, ...range, "--"])
        const patchTruncated = patch.stdout.length > maxPatchBytes
        return {
          from: base,
          to: target ?? null,
          files: parseChanges(raw.stdout.toString("utf8")),
          patch: patch.stdout.subarray(0, maxPatchBytes).toString("utf8"),
          patchTruncated,
        }
      })
    },

    restore(id) {
      return serial(async (git) => {
        const target = await verify(git, id)
        // Recording first also puts every current file in the index, so that read-tree removes those
        // the checkpoint does not have.
        const before = await recordNow(git, `Before restoring ${target.slice(0, 12)}`, { restoring: target })
        await runGit(git, ["read-tree", "--reset", "-u", target])
        logger.info({ checkpoint: target, before: before.id }, "checkpoint restored")
        return { before: before.id }
      })
    },

    list({ limit = 100 } = {}) {
      return serial(async (git) => {
        if (!(await head(git))) return []
        const format = "--format=%H%x1f%P%x1f%cI%x1f%B%x1e"
        const output = await runGit(git, [
          "log",
          format,
          `--max-count=${Math.max(1, Math.floor(limit))}`,
          "HEAD",
          "--",
        ])
        return output.stdout
          .toString("utf8")
          .split("\x1e")
          .map((record) => record.replace(/^\n/, ""))
          .filter((record) => record !== "")
          .map(parseCheckpoint)
      })
    },
  }
}

async function initialise(options: CheckpointsOptions): Promise<CheckpointGitOptions> {
  const workspace = await realpath(options.workspace).catch(() => {
    throw new AppError(
      "PROJECT_NOT_FOUND",
      "The project's workspace does not exist, so it has no checkpoints.",
      {
        workspace: options.workspace,
      },
    )
  })
  await mkdir(options.gitDir, { recursive: true, mode: 0o700 })
  const gitDir = await realpath(options.gitDir)
  if (isInside(workspace, gitDir) || isInside(gitDir, workspace)) {
    throw new AppError("CHECKPOINT_FAILED", "The checkpoint repository must lie outside the workspace.", {
      gitDir,
      workspace,
    })
  }
  const git = { gitBinary: options.gitBinary ?? "git", gitDir, workspace }
  const initialised = await lstat(join(gitDir, "HEAD")).then(
    () => true,
    () => false,
  )
  if (!initialised) {
    await runGit(git, ["init", "--quiet", "--bare"], { withoutWorkTree: true })
    // A bare repository has no work tree of its own; ours is always given with --work-tree.
    await writeFile(join(gitDir, "description"), `Xionimus checkpoints of ${relative("/", workspace)}\n`)
  }
  await writeFile(join(gitDir, "config"), repositoryConfig, { mode: 0o600 })
  return git
}

function parseCheckpoint(record: string): Checkpoint {
  const [id = "", parents = "", time = "", body = ""] = record.split("\x1f")
  const lines = body.replace(/\n+$/, "").split("\n")
  const metaLine = lines.findLast((line) => line.startsWith(metaPrefix))
  let meta: Record<string, string> = {}
  if (metaLine) {
    try {
      meta = JSON.parse(metaLine.slice(metaPrefix.length)) as Record<string, string>
    } catch {
      meta = {}
    }
  }
  const message = lines
    .filter((line) => line !== metaLine)
    .join("\n")
    .trim()
  return { id, parent: parents.split(" ")[0] || null, message, meta, time }
}
