import { join } from "node:path"
import {
  createRunEngine,
  type ProjectRuntime,
  type RunEngine,
  type RunRuntimes,
  type RunStatus,
  type Worktrees,
} from "@xionimus/agent"
import type { EventBus } from "@xionimus/bus"
import type { Config } from "@xionimus/config"
import { AppError, type Logger } from "@xionimus/kit"
import type { ModelRouter, RoutedRequest } from "@xionimus/llm"
import type { Store } from "@xionimus/store"
import type { ToolSandbox } from "@xionimus/tools"
import {
  checkpointGitDir,
  createDirectoryFiles,
  createWorktrees,
  orchestraRoot,
  type Worktrees as ProjectWorktrees,
  type WorkspaceManager,
} from "@xionimus/workspace"
import type { LlmServices } from "./llm/llm-services.ts"
import { createRunCleanup } from "./orchestra-cleanup.ts"
import { effectivePermissions } from "./permission-settings.ts"
import type { SandboxHost } from "./sandbox-host.ts"
import type { SessionHost } from "./session-host.ts"

export interface OrchestraHostDeps {
  config: Config
  store: Store
  bus: EventBus
  workspaces: WorkspaceManager
  workspacesRoot: string
  dataDir: string
  sandboxes: SandboxHost
  llm: LlmServices
  sessions: SessionHost
  logger: Logger
}

/** One line of a project's run list (`GET /api/projects/:projectId/runs`). */
export interface RunSummary {
  runId: string
  goal: string
  createdBy: string | null
  createdAt: string
  /** Set for a fork or an import: where the run came from. */
  origin: { kind: "fork"; runId: string; seq: number } | { kind: "import" } | null
}

/** The orchestra's run engine wired to this server, plus what the routes need around it. */
export interface OrchestraHost {
  /** The run engine; runs it starts, forks or imports are listed in their project. */
  readonly engine: RunEngine
  /** The project's runs, newest first. */
  list(projectId: string): Promise<RunSummary[]>
  /** The project a run belongs to; undefined when there is no such run. */
  projectOf(runId: string): Promise<string | undefined>
  close(): Promise<void>
}

const runIdPattern = /^orc_[0-9A-Za-z_-]{1,64}$/
/** The list of a project's runs is a stream of its own: one `run.listed` event per run (id = run id). */
const indexStream = (projectId: string) => `runs_${projectId}`

/**
 * A router that bills and routes each call as the user it is made for (the run's creator: each role's
 * session is created by them), over that user's providers; `choose` answers from the instance's router,
 * made on first use (`ready`, awaited before a run starts) so that a model misconfiguration never stops
 * the server from starting.
 */
function perUserRouter(llm: LlmServices): ModelRouter & { ready(): Promise<ModelRouter> } {
  let instance: Promise<ModelRouter> | undefined
  let made: ModelRouter | undefined
  const ready = () => {
    instance ??= llm.routerFor(undefined).then(
      (router) => (made = router),
      (error: unknown) => {
        instance = undefined
        throw error
      },
    )
    return instance
  }
  const current = () => {
    if (!made) throw new AppError("MODEL_NOT_FOUND", "The model router is not ready yet; try again.")
    return made
  }
  return {
    ready,
    choose: (request) => current().choose(request),
    chainOf: (model) => current().chainOf(model),
    async *stream(request: RoutedRequest) {
      const router = await llm.routerFor(request.scope?.userId)
      yield* router.stream(request)
    },
  }
}

export async function createOrchestraHost(deps: OrchestraHostDeps): Promise<OrchestraHost> {
  const { bus, workspaces, workspacesRoot, sandboxes } = deps
  const logger = deps.logger.child({ component: "orchestra" })
  const projects = new Map<string, string>()
  const worktreesOfProject = new Map<string, ProjectWorktrees>()

  async function projectOf(runId: string): Promise<string | undefined> {
    if (!runIdPattern.test(runId)) return undefined
    const known = projects.get(runId)
    if (known) return known
    const [first] = await bus.read(runId, { after: 0, limit: 1 })
    if (first?.type !== "run.started") return undefined
    const projectId = (first.data as { projectId: string }).projectId
    projects.set(runId, projectId)
    return projectId
  }

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

  const router = perUserRouter(deps.llm)
  const engine = createRunEngine({
    bus,
    sessions: deps.store.sessions,
    runtimes,
    worktrees,
    router,
    contextWindowOf: (model) => deps.llm.catalog.lookup(model).entry.contextWindow,
    // The project's and the creator's rules and mode; where neither sets a mode a run is full-auto (its
    // own gates and the preset's danger patterns), not the server's default mode for chats.
    permissions: (projectId, userId) =>
      effectivePermissions(
        deps.store,
        { ...deps.config, agent: { ...deps.config.agent, mode: "full-auto" } },
        projectId,
        userId,
      ),
    limits: {
      maxSteps: deps.config.agent.maxSteps,
      loopThreshold: deps.config.agent.loopThreshold,
      compactAt: deps.config.agent.compactAt,
    },
    logger,
  })

  const cleanup = createRunCleanup({
    bus,
    removeWorktree: async (runId, packageId) => (await projectWorktrees(runId)).remove({ runId, packageId }),
    removeRun: async (runId) => (await projectWorktrees(runId)).removeRun(runId),
    async releaseSandbox(runId, packageId) {
      const key = sandboxKey(runId, packageId)
      if (!packageSandboxes.delete(key)) return
      await (await sandboxes.provider()).release(key)
    },
    state: async (runId) => (await engine.status(runId)).state,
    logger,
  })
  /** Runs this process drives are followed, so that what their packages held is removed when done. */
  const driven = (status: RunStatus) => {
    cleanup.watch(
      status.runId,
      status.state.head,
      status.state.packages.map((item) => item.id),
    )
    return status
  }

  async function listed(status: RunStatus, origin: RunSummary["origin"]): Promise<RunStatus> {
    const { state } = status
    projects.set(status.runId, state.projectId)
    await bus.append(indexStream(state.projectId), [
      {
        id: status.runId,
        type: "run.listed",
        data: { runId: status.runId, goal: state.goal, createdBy: state.createdBy, origin },
      },
    ])
    return status
  }

  return {
    engine: {
      ...engine,
      async start(input) {
        await router.ready()
        return driven(await listed(await engine.start(input), null))
      },
      decideGate: async (runId, gateId, input, by) =>
        driven(await engine.decideGate(runId, gateId, input, by)),
      resume: async (runId) => driven(await engine.resume(runId)),
      async cancel(runId, by) {
        const status = await engine.cancel(runId, by)
        cleanup.ended(
          runId,
          status.state.packages.map((item) => item.id),
        )
        return status
      },
      async fork(runId, input) {
        const status = await engine.fork(runId, input)
        const from = status.state.forkedFrom
        return listed(status, from ? { kind: "fork", runId: from.runId, seq: from.seq } : null)
      },
      importRun: async (projectId, data, createdBy) =>
        listed(await engine.importRun(projectId, data, createdBy), { kind: "import" }),
    },
    async list(projectId) {
      const runs: RunSummary[] = []
      for (;;) {
        const events = await bus.read(indexStream(projectId), { after: runs.length, limit: 1000 })
        for (const event of events)
          runs.push({ ...(event.data as Omit<RunSummary, "createdAt">), createdAt: event.time })
        if (events.length < 1000) break
      }
      return runs.reverse()
    },
    projectOf,
    async close() {
      await engine.close()
      await cleanup.close()
    },
  }
}
