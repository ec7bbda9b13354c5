import { join } from "node:path"
import type { ProjectRuntime, RunRuntimes, Worktrees } from "@xionimus/agent"
import type { Config } from "@xionimus/config"
import { AppError, type Logger } from "@xionimus/kit"
import type { ToolSandbox } from "@xionimus/tools"
import {
  checkpointGitDir,
  createDirectoryFiles,
  createWorktrees,
  orchestraRoot,
  type Worktrees as ProjectWorktrees,
  type WorkspaceManager,
} from "@xionimus/workspace"
import type { SandboxHost } from "./sandbox-host.ts"
import type { SessionHost } from "./session-host.ts"

export interface RunWorkspacesDeps {
  config: Config
  workspaces: WorkspaceManager
  workspacesRoot: string
  dataDir: string
  sandboxes: SandboxHost
  sessions: SessionHost
  logger: Logger
  /** The project a run belongs to; undefined when there is no such run. */
  projectOf(runId: string): Promise<string | undefined>
}

/** Where a run's steps work: the engine's `Worktrees` and `RunRuntimes` ports over this server's projects. */
export interface RunWorkspaces {
  worktrees: Worktrees
  runtimes: RunRuntimes
  /** The project's worktrees (one instance per project); RUN_NOT_FOUND. */
  projectWorktrees(runId: string): Promise<ProjectWorktrees>
  /** Releases the sandbox a package's commands ran in, if one was made. */
  releaseSandbox(runId: string, packageId: string): Promise<void>
}

/**
 * Project steps (conductor, tester, reviewer) get the session engine's runtime of the project; implementer
 * steps a runtime over their worktree: files confined to it, commands in a sandbox over it (one per
 * package), no checkpoints of their own (the merge records one). Worktrees share the session engine's
 * `Checkpoints` instance, so merges and agents' checkpoints queue on one git index.
 */
export function createRunWorkspaces(deps: RunWorkspacesDeps): RunWorkspaces {
  const { workspaces, workspacesRoot, sandboxes, logger, projectOf } = deps
  const worktreesOfProject = new Map<string, ProjectWorktrees>()

  async function projectWorktrees(runId: string): Promise<ProjectWorktrees> {
    const projectId = await projectOf(runId)
    if (!projectId) throw new AppError("RUN_NOT_FOUND", `There is no run ${runId}.`, { runId })
    let found = worktreesOfProject.get(projectId)
    if (!found) {
      found = createWorktrees({
        root: orchestraRoot(workspacesRoot),
        workspace: await workspaces.directory(projectId),
        gitDir: checkpointGitDir(workspacesRoot, projectId),
        // The session engine's instance: its checkpoints and the merges' queue up on one index.
        checkpoints: await deps.sessions.checkpointsFor(projectId),
        logger: logger.child({ projectId }),
      })
      worktreesOfProject.set(projectId, found)
    }
    return found
  }

  const worktrees: Worktrees = {
    create: async (input) => (await projectWorktrees(input.runId)).create(input),
    merge: async (input) => (await projectWorktrees(input.runId)).merge(input),
    remove: async (input) => (await projectWorktrees(input.runId)).remove(input),
  }

  /** Sandboxes made for packages (by key), released when the package or the run is over. */
  const packageSandboxes = new Set<string>()
  const sandboxKey = (runId: string, packageId: string | undefined) =>
    `${runId}_${packageId?.split("_").at(-1) ?? "package"}`

  /** A package's steps work in its worktree: files confined to it, commands in a sandbox over it. */
  async function worktreeRuntime(projectId: string, runId: string, key: string, dir: string) {
    const provider = await sandboxes.provider().catch((error: unknown) => {
      logger.warn({ err: error, runId }, "no sandbox for the package's commands")
      return null
    })
    const sandbox: ToolSandbox = {
      async exec(request) {
        const opened = provider ?? (await sandboxes.provider())
        packageSandboxes.add(key)
        return (await opened.create({ projectId: key, workspaceDir: dir })).exec(request)
      },
    }
    const runtime: ProjectRuntime = {
      projectId,
      files: createDirectoryFiles({
        directory: dir,
        staging: join(deps.dataDir, "staging", runId),
        limits: deps.config.limits,
      }),
      sandbox,
      sandboxed: provider?.capabilities.isolated ?? false,
    }
    return runtime
  }

  const runtimes: RunRuntimes = {
    async runtimeFor({ projectId, runId, packageId, dir }) {
      if (!dir) return deps.sessions.runtimeFor(projectId)
      // The sandbox registry keys by this id (and names its cgroup after it): one per package.
      return worktreeRuntime(projectId, runId, sandboxKey(runId, packageId), dir)
    },
    async baseCheckpoint(projectId) {
      const checkpoints = await deps.sessions.checkpointsFor(projectId)
      return (await checkpoints.record({ message: "Orchestra run base", meta: { orchestra: "base" } })).id
    },
  }

  return {
    worktrees,
    runtimes,
    projectWorktrees,
    async releaseSandbox(runId, packageId) {
      const key = sandboxKey(runId, packageId)
      if (!packageSandboxes.delete(key)) return
      await (await sandboxes.provider()).release(key)
    },
  }
}
