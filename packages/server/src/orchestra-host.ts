import { join } from "node:path"
import { createRunEngine, nodeIdFor, type RunEngine, type RunStatus } from "@xionimus/agent"
import type { EventBus } from "@xionimus/bus"
import type { Config } from "@xionimus/config"
import { AppError, type Logger } from "@xionimus/kit"
import type { Page, RunOrigin, RunSummary } from "@xionimus/protocol"
import type { Store } from "@xionimus/store"
import { createDirectoryFiles, type WorkspaceManager } from "@xionimus/workspace"
import type { LlmServices } from "./llm/llm-services.ts"
import { createRunCleanup } from "./orchestra-cleanup.ts"
import { createProjectOrchestraFiles } from "./orchestra-project-files.ts"
import { createRunIndex } from "./orchestra-run-index.ts"
import { createRunWorkspaces } from "./orchestra-run-workspaces.ts"
import { perUserRouter } from "./orchestra-user-router.ts"
import { effectivePermissions } from "./permission-settings.ts"
import { createRunLeases } from "./run-leases.ts"
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
  /** How long a run's lease lasts; renewed three times as often while driving (default 15 s). */
  leaseMs?: number
}

/** The orchestra's run engine wired to this server, plus what the routes need around it. */
export interface OrchestraHost {
  /** The run engine; runs it starts, forks or imports are listed in their project. */
  readonly engine: RunEngine
  /** A page of the project's runs, newest first, each with its summary (orchestra-run-index.ts). */
  list(projectId: string, query: { limit: number; cursor?: string | undefined }): Promise<Page<RunSummary>>
  /** The project a run belongs to; undefined when there is no such run. */
  projectOf(runId: string): Promise<string | undefined>
  /** Resumes the runs other servers left mid-way now, then looks again every lease period until close. */
  start(): Promise<void>
  /**
   * Takes over and resumes runs whose lease another server left behind (expired, or its process gone
   * from this host), unless they wait at a gate or have ended. Returns the runs resumed.
   */
  resumeAbandoned(): Promise<string[]>
  /** Stops driving; runs mid-way keep an expired lease, so that the next server resumes them at once. */
  close(): Promise<void>
}

const runIdPattern = /^orc_[0-9A-Za-z_-]{1,64}$/

export async function createOrchestraHost(deps: OrchestraHostDeps): Promise<OrchestraHost> {
  const { bus, workspaces } = deps
  const logger = deps.logger.child({ component: "orchestra" })
  const projects = new Map<string, string>()

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

  const { worktrees, runtimes, projectWorktrees, releaseSandbox } = createRunWorkspaces({
    ...deps,
    logger,
    projectOf,
  })

  const router = perUserRouter(deps.llm)
  const projectFiles = createProjectOrchestraFiles(async (projectId) =>
    createDirectoryFiles({
      directory: await workspaces.directory(projectId),
      staging: join(deps.dataDir, "staging", "orchestra-files"),
      limits: deps.config.limits,
    }),
  )
  const engine = createRunEngine({
    bus,
    sessions: deps.store.sessions,
    runtimes,
    worktrees,
    router,
    contextWindowOf: (model) => deps.llm.catalog.lookup(model).entry.contextWindow,
    // The project's own templates (.xionimus/orchestra/templates/*.md) beside the shipped ones.
    templates: (projectId) => projectFiles.templates(projectId),
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
    releaseSandbox,
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

  // Leases: one server drives a run at a time (docs/orchestra.md "Resuming after a restart").
  const leaseMs = deps.leaseMs ?? 15_000
  const leases = createRunLeases({ store: deps.store.sessions, nodeId: nodeIdFor("orchestra"), leaseMs })
  const held = new Set<string>()
  const chains = new Map<string, Promise<unknown>>()
  let closing = false
  let scanning = false

  /** Lease work on one run, one at a time. */
  function serial<T>(runId: string, work: () => Promise<T>): Promise<T> {
    const next = (chains.get(runId) ?? Promise.resolve()).then(work)
    const settled = next.catch(() => undefined)
    chains.set(runId, settled)
    void settled.then(() => {
      if (chains.get(runId) === settled) chains.delete(runId)
    })
    return next
  }

  async function claim(runId: string): Promise<void> {
    if (closing) throw new AppError("SHUTTING_DOWN", "The server is shutting down; try again in a moment.")
    if (held.has(runId) && (await leases.renew(runId))) return
    held.delete(runId)
    if (!(await leases.acquire(runId)))
      throw new AppError(
        "RUN_BUSY",
        `Another server is driving the run ${runId} now; try again there, or in a moment.`,
        { runId },
      )
    held.add(runId)
  }

  /** Once the run needs nobody here (a gate, its end), its lease is given back. */
  function watch(runId: string): void {
    void engine
      .idle(runId)
      .catch(() => undefined)
      .then(() =>
        serial(runId, async () => {
          if (closing || !held.has(runId) || engine.driving(runId)) return
          held.delete(runId)
          await leases.release(runId)
        }),
      )
      .catch((error: unknown) => logger.error({ err: error, runId }, "giving back a run's lease failed"))
  }

  /** Runs `work` (which drives the run) holding the run's lease. */
  const driving = <T>(runId: string, work: () => Promise<T>): Promise<T> =>
    serial(runId, async () => {
      await claim(runId)
      try {
        return await work()
      } finally {
        watch(runId)
      }
    })

  async function renewAll(): Promise<void> {
    for (const runId of [...held]) {
      if (await leases.renew(runId).catch(() => false)) continue
      // Lost (this process stalled past the expiry and another server took it): stop driving it here.
      logger.warn({ runId }, "the run's lease was lost; another server drives it now")
      held.delete(runId)
      await engine.release(runId)
    }
  }
  const renewal = setInterval(
    () => {
      renewAll().catch((error: unknown) => logger.error({ err: error }, "renewing run leases failed"))
    },
    Math.max(10, Math.floor(leaseMs / 3)),
  )
  renewal.unref()

  async function resumeAbandoned(): Promise<string[]> {
    if (closing || scanning) return []
    scanning = true
    const resumed: string[] = []
    try {
      for (const runId of await leases.abandoned()) {
        if (held.has(runId) || closing) continue
        try {
          await serial(runId, async () => {
            if (!(await leases.acquire(runId))) return
            held.add(runId)
            const status = await engine.status(runId)
            // Waiting for a person, or over: nothing to drive (the lease is given back).
            if (status.state.ended || status.waiting.length > 0) return
            await router.ready()
            driven(await engine.resume(runId))
            resumed.push(runId)
            logger.info({ runId }, "resumed a run another server left mid-way")
          })
        } catch (error) {
          logger.error({ err: error, runId }, "resuming a run failed")
        } finally {
          watch(runId)
        }
      }
    } finally {
      scanning = false
    }
    return resumed
  }
  let scan: NodeJS.Timeout | undefined

  const index = createRunIndex({ bus, driving: (runId) => engine.driving(runId) })
  async function listed(status: RunStatus, origin: RunOrigin): Promise<RunStatus> {
    const { state } = status
    projects.set(status.runId, state.projectId)
    await index.add({
      runId: status.runId,
      projectId: state.projectId,
      goal: state.goal,
      createdBy: state.createdBy,
      origin,
    })
    return status
  }

  return {
    engine: {
      ...engine,
      async start(input) {
        // A preset named by a string is one of the project's own (.xionimus/orchestra/presets/<name>.json).
        const preset =
          typeof input.preset === "string"
            ? await projectFiles.preset(input.projectId, input.preset)
            : input.preset
        await router.ready()
        const started = await engine.start({
          ...input,
          ...(preset === undefined ? {} : { preset: preset as never }),
        })
        // A new run: nobody else knows it yet, so its lease is free.
        await serial(started.runId, () => claim(started.runId))
          .catch((error: unknown) =>
            logger.error({ err: error, runId: started.runId }, "a new run got no lease"),
          )
          .finally(() => watch(started.runId))
        return driven(await listed(started, null))
      },
      decideGate: (runId, gateId, input, by) =>
        driving(runId, async () => driven(await engine.decideGate(runId, gateId, input, by))),
      movePackage: (runId, packageId, to, reason, by) =>
        driving(runId, () => engine.movePackage(runId, packageId, to, reason, by)),
      resume: (runId) => driving(runId, async () => driven(await engine.resume(runId))),
      cancel: (runId, by) =>
        driving(runId, async () => {
          const status = await engine.cancel(runId, by)
          cleanup.ended(
            runId,
            status.state.packages.map((item) => item.id),
          )
          return status
        }),
      async fork(runId, input) {
        const status = await engine.fork(runId, input)
        const from = status.state.forkedFrom
        return listed(status, from ? { kind: "fork", runId: from.runId, seq: from.seq } : null)
      },
      importRun: async (projectId, data, createdBy) =>
        listed(await engine.importRun(projectId, data, createdBy), { kind: "import" }),
    },
    list: (projectId, query) => index.page(projectId, query),
    projectOf,
    resumeAbandoned,
    async start() {
      await resumeAbandoned()
      if (closing) return
      scan = setInterval(() => void resumeAbandoned(), leaseMs)
      scan.unref()
    },
    async close() {
      if (closing) return
      closing = true
      clearInterval(scan)
      clearInterval(renewal)
      const midway = [...held].filter((runId) => engine.driving(runId))
      await engine.close()
      for (const runId of held)
        await (midway.includes(runId) ? leases.expire(runId) : leases.release(runId)).catch(
          (error: unknown) => logger.warn({ err: error, runId }, "giving back a run's lease failed"),
        )
      held.clear()
      await cleanup.close()
    },
  }
}
