import { randomUUID } from "node:crypto"
import { realpath, stat } from "node:fs/promises"
import { basename, join, resolve } from "node:path"
import {
  createSessionEngine,
  type ProjectRuntime,
  type SessionEngine,
  type SessionEngineDeps,
} from "@xionimus/agent"
import type { Config } from "@xionimus/config"
import { AppError, isAppError, type Logger, newId, silentLogger } from "@xionimus/kit"
import type { ModelPort } from "@xionimus/llm"
import { type PermissionMode, type Project, ProjectListQuery } from "@xionimus/protocol"
import type { Sandbox } from "@xionimus/sandbox"
import {
  type Checkpoints,
  checkpointGitDir,
  createCheckpoints,
  createDirectoryFiles,
} from "@xionimus/workspace"
import { effectivePermissions, savePermissionRules } from "./permission-settings.ts"
import { createServices, type Services } from "./services.ts"

export interface HeadlessSessionsOptions {
  config: Config
  logger?: Logger
  /** Resolves the default data directory; defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>
  /** Replaces the permission mode of every turn (the CLI's `--yes`: full-auto). */
  mode?: PermissionMode
  /** Answers every model call instead of the configured providers (benches: the scripted model). */
  modelPort?: ModelPort
  /** The tools the agent may call (default: the built-in ones). */
  tools?: SessionEngineDeps["tools"]
}

/** Sessions run in this process over project directories, without the HTTP server (`xionimus run`). */
export interface HeadlessSessions {
  readonly services: Services
  /** An engine whose turns work on each project's directory: a registered one, or its workspace. */
  readonly engine: SessionEngine
  /**
   * The project registered for `directory` (compared by real path), registered now when there is none:
   * named after the directory, with source `{ kind: "directory", path }`. Raises SANDBOX_WORKSPACE_INVALID.
   */
  projectForDirectory(directory: string): Promise<Project>
  /** A live project by id (`prj_…`) or by a registered directory; PROJECT_NOT_FOUND otherwise. */
  findProject(reference: string, cwd: string): Promise<Project>
  /** Stops the engine (a running turn ends interrupted), then the services. */
  close(): Promise<void>
}

async function realDirectory(directory: string): Promise<string> {
  const real = await realpath(directory).catch(() => null)
  if (!real || !(await stat(real)).isDirectory())
    throw new AppError(
      "SANDBOX_WORKSPACE_INVALID",
      `The directory ${directory} does not exist or is not a directory; pass an existing project directory.`,
      { path: directory },
    )
  return real
}

/**
 * Opens the services of the configured data directory and a session engine of its own whose project
 * runtime is the project's directory: a `directory` project's path (files confined to it, commands in a
 * sandbox over it, checkpoints in `<data>/checkpoints/<projectId>.git`) or a workspace under
 * `<data>/workspaces`. Sessions land in the same store, so the server and `sessions list` see them.
 */
export async function openHeadlessSessions(options: HeadlessSessionsOptions): Promise<HeadlessSessions> {
  const { config } = options
  const logger = options.logger ?? silentLogger()
  const services = await createServices(config, logger, {
    ...(options.env ? { env: options.env } : {}),
    ...(options.modelPort ? { modelPort: options.modelPort } : {}),
  })
  const { store, llm, sandboxes } = services
  const workspacesRoot = join(services.dataDir, "workspaces")
  const runtimes = new Map<string, Promise<ProjectRuntime>>()
  const sandboxesOf = new Map<string, Promise<Sandbox>>()

  async function directoryOf(projectId: string): Promise<string> {
    const project = await store.projects.get(projectId)
    if (!project) throw new AppError("PROJECT_NOT_FOUND", `No project ${projectId}.`, { projectId })
    return project.source.kind === "directory" ? project.source.path : join(workspacesRoot, projectId)
  }

  function sandboxFor(projectId: string, directory: string): Promise<Sandbox> {
    let found = sandboxesOf.get(projectId)
    if (!found) {
      found = sandboxes.provider().then((provider) => provider.create({ projectId, workspaceDir: directory }))
      found.catch(() => sandboxesOf.delete(projectId))
      sandboxesOf.set(projectId, found)
    }
    return found
  }

  async function buildRuntime(projectId: string): Promise<ProjectRuntime> {
    const directory = await directoryOf(projectId)
    const provider = await sandboxes.provider().catch((error: unknown) => {
      logger.warn({ err: error, projectId }, "no sandbox for the agent's commands")
      return null
    })
    const checkpoints: Checkpoints = createCheckpoints({
      workspace: directory,
      gitDir: checkpointGitDir(workspacesRoot, projectId),
      logger: logger.child({ projectId }),
    })
    return {
      projectId,
      files: createDirectoryFiles({
        directory,
        staging: join(services.dataDir, "staging"),
        limits: config.limits,
      }),
      sandbox: { exec: async (request) => (await sandboxFor(projectId, directory)).exec(request) },
      sandboxed: provider?.capabilities.isolated ?? false,
      checkpoints,
    }
  }

  function runtimeFor(projectId: string): Promise<ProjectRuntime> {
    let found = runtimes.get(projectId)
    if (!found) {
      found = buildRuntime(projectId)
      found.catch(() => runtimes.delete(projectId))
      runtimes.set(projectId, found)
    }
    return found
  }

  const engine = createSessionEngine({
    bus: services.bus,
    sessions: store.sessions,
    log: store.events,
    runtimeFor,
    routerFor: (userId) => llm.routerFor(userId ?? undefined),
    contextWindowOf: (model) => llm.catalog.lookup(model).entry.contextWindow,
    checkBudget: (scope) => llm.checkBudget(scope),
    async permissions(projectId, userId) {
      const settings = await effectivePermissions(store, config, projectId, userId)
      return options.mode ? { ...settings, mode: options.mode } : settings
    },
    saveRules: (projectId, userId, scope, rules) =>
      savePermissionRules(store, projectId, userId, scope, rules),
    ...(options.tools ? { tools: options.tools } : {}),
    limits: {
      maxSteps: config.agent.maxSteps,
      loopThreshold: config.agent.loopThreshold,
      compactAt: config.agent.compactAt,
      ...(config.agent.sessionTokens !== undefined ? { sessionTokens: config.agent.sessionTokens } : {}),
      ...(config.agent.projectTokens !== undefined ? { projectTokens: config.agent.projectTokens } : {}),
    },
    nodeId: `cli-${randomUUID()}`,
    logger: logger.child({ component: "sessions" }),
  })

  async function findByPath(path: string): Promise<Project | undefined> {
    let cursor: string | undefined
    do {
      const page = await store.projects.list(
        ProjectListQuery.parse({ limit: 200, ...(cursor ? { cursor } : {}) }),
      )
      const found = page.items.find(
        (project) => project.source.kind === "directory" && project.source.path === path,
      )
      if (found) return found
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    return undefined
  }

  /** The directory's name, or with " (2)", " (3)"… when a live project has it already. */
  async function register(path: string): Promise<Project> {
    const base = (basename(path) || "root").slice(0, 90)
    for (let attempt = 1; ; attempt++) {
      const name = attempt === 1 ? base : `${base} (${attempt})`
      try {
        return await store.projects.create({ id: newId("prj"), name, source: { kind: "directory", path } })
      } catch (error) {
        if (!(isAppError(error) && error.code === "PROJECT_NAME_TAKEN") || attempt >= 100) throw error
      }
    }
  }

  let closed = false
  return {
    services,
    engine,
    async projectForDirectory(directory) {
      const path = await realDirectory(directory)
      return (await findByPath(path)) ?? (await register(path))
    },
    async findProject(reference, cwd) {
      if (/^prj_[0-9A-Za-z]+$/.test(reference)) {
        const project = await store.projects.get(reference)
        if (project && !project.deletedAt) return project
      } else {
        const path = await realpath(resolve(cwd, reference)).catch(() => null)
        const project = path ? await findByPath(path) : undefined
        if (project) return project
      }
      throw new AppError(
        "PROJECT_NOT_FOUND",
        `No project ${reference}: give a project id (prj_…) or a directory \`xionimus run --project\` has used.`,
        { reference },
      )
    },
    async close() {
      if (closed) return
      closed = true
      try {
        await engine.close()
      } finally {
        await services.close()
      }
    },
  }
}
