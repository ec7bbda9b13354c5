import {
  createSessionEngine,
  nodeIdFor,
  type PermissionSettings,
  type ProjectRuntime,
  type SessionEngine,
} from "@xionimus/agent"
import type { EventBus } from "@xionimus/bus"
import type { Config } from "@xionimus/config"
import { type Logger, newId } from "@xionimus/kit"
import type { PermissionMode } from "@xionimus/protocol"
import type { Store } from "@xionimus/store"
import type { ToolRegistry, ToolSandbox } from "@xionimus/tools"
import {
  type Checkpoints,
  checkpointGitDir,
  createCheckpoints,
  type WorkspaceManager,
} from "@xionimus/workspace"
import type { LlmServices } from "./llm/llm-services.ts"
import { effectivePermissions, savePermissionRules } from "./permission-settings.ts"
import type { SandboxHost } from "./sandbox-host.ts"

export interface SessionHostDeps {
  config: Config
  store: Store
  bus: EventBus
  workspaces: WorkspaceManager
  workspacesRoot: string
  sandboxes: SandboxHost
  llm: LlmServices
  logger: Logger
  /** How long a turn lease lasts; recovery runs this often (default: the engine's 15 s). */
  leaseMs?: number
  /** Replaces the permission mode of every turn (`xionimus run --yes`: full-auto). */
  mode?: PermissionMode
  /** The tools the agent may call (default: the built-in ones). */
  tools?: ToolRegistry
}

/** The session engine with what it runs on, plus the recovery of crashed turns. */
export interface SessionHost {
  readonly engine: SessionEngine
  /** What a turn in the project works on (files, sandbox, checkpoints): the orchestra's project steps too. */
  runtimeFor(projectId: string, actor?: { userId: string | null }): Promise<ProjectRuntime>
  /** The project's checkpoints: one instance per project, so that their git operations queue up. */
  checkpointsFor(projectId: string): Promise<Checkpoints>
  /** Marks turns of dead nodes interrupted now, then again every lease period until close. */
  start(): Promise<void>
  /** Stops recovery, then the engine (running turns end as interrupted). */
  close(): Promise<void>
}

const defaultLeaseMs = 15_000

/**
 * Wires @xionimus/agent's session engine to this server: workspaces, the project's sandbox (exec only),
 * hidden-git checkpoints (one instance per project), the user's model router, budgets, and the permission
 * settings of projects and users.
 */
export function createSessionHost(deps: SessionHostDeps): SessionHost {
  const { config, store, bus, workspaces, sandboxes, llm } = deps
  const logger = deps.logger.child({ component: "sessions" })
  const leaseMs = deps.leaseMs ?? defaultLeaseMs
  const checkpoints = new Map<string, Checkpoints>()

  function checkpointsOf(projectId: string, directory: string): Checkpoints {
    let found = checkpoints.get(projectId)
    if (!found) {
      found = createCheckpoints({
        workspace: directory,
        gitDir: checkpointGitDir(deps.workspacesRoot, projectId),
        logger: logger.child({ projectId }),
      })
      checkpoints.set(projectId, found)
    }
    return found
  }

  async function runtimeFor(projectId: string, actor?: { userId: string | null }): Promise<ProjectRuntime> {
    const files = workspaces.files(projectId)
    // A workspace under the root, or the folder a directory project (`xionimus run`) works on in place.
    const directory = await workspaces.directory(projectId)
    // The provider may be unavailable (no bubblewrap): commands then fail with its own worded error.
    const provider = await sandboxes.provider().catch((error: unknown) => {
      logger.warn({ err: error, projectId }, "no sandbox for the agent's commands")
      return null
    })
    const sandbox: ToolSandbox = {
      // The commands of a turn count for the user whose message started it, and for the team.
      exec: async (request) =>
        (await sandboxes.sandboxFor(projectId, actor?.userId ?? undefined)).exec(request),
    }
    return {
      projectId,
      files,
      sandbox,
      sandboxed: provider?.capabilities.isolated ?? false,
      checkpoints: checkpointsOf(projectId, directory),
      onFilesChanged(changes) {
        if (changes.length === 0) return
        // The agent's changes on the project's activity stream, like the file routes' own.
        const events = changes.map((data) => ({ id: newId("evt"), type: "file.changed", data }))
        bus
          .append(projectId, events)
          .catch((error: unknown) => logger.warn({ err: error, projectId }, "file.changed not recorded"))
      },
    }
  }

  const engine = createSessionEngine({
    bus,
    sessions: store.sessions,
    log: store.events,
    runtimeFor,
    routerFor: (userId) => llm.routerFor(userId ?? undefined),
    contextWindowOf: (model) => llm.catalog.lookup(model).entry.contextWindow,
    readsImages: (model) => llm.catalog.lookup(model).entry.capabilities.vision,
    checkBudget: (scope) => llm.checkBudget(scope),
    async permissions(projectId, userId): Promise<PermissionSettings> {
      const settings = await effectivePermissions(store, config, projectId, userId)
      return deps.mode ? { ...settings, mode: deps.mode } : settings
    },
    ...(deps.tools ? { tools: deps.tools } : {}),
    saveRules: (projectId, userId, scope, rules) =>
      savePermissionRules(store, projectId, userId, scope, rules),
    limits: {
      maxSteps: config.agent.maxSteps,
      loopThreshold: config.agent.loopThreshold,
      compactAt: config.agent.compactAt,
      ...(config.agent.sessionTokens !== undefined ? { sessionTokens: config.agent.sessionTokens } : {}),
      ...(config.agent.projectTokens !== undefined ? { projectTokens: config.agent.projectTokens } : {}),
    },
    nodeId: nodeIdFor("server"),
    leaseMs,
    logger,
    ...(config.server.publicUrl ? { publicUrl: config.server.publicUrl } : {}),
  })

  let timer: NodeJS.Timeout | undefined
  let recovering: Promise<void> = Promise.resolve()
  const recover = () => {
    recovering = recovering.then(async () => {
      try {
        const interrupted = await engine.recover()
        if (interrupted > 0) logger.warn({ interrupted }, "turns of a stopped server marked interrupted")
      } catch (error) {
        logger.error({ err: error }, "recovering interrupted turns failed")
      }
    })
    return recovering
  }

  let closed = false
  return {
    engine,
    runtimeFor,
    async checkpointsFor(projectId) {
      return checkpointsOf(projectId, await workspaces.directory(projectId))
    },
    async start() {
      await recover()
      if (closed) return
      timer = setInterval(recover, leaseMs)
      timer.unref()
    },
    async close() {
      if (closed) return
      closed = true
      clearInterval(timer)
      await recovering
      await engine.close()
    },
  }
}
