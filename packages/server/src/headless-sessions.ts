import { realpath, stat } from "node:fs/promises"
import { basename, resolve } from "node:path"
import type { SessionEngine, SessionEngineDeps } from "@xionimus/agent"
import type { Config } from "@xionimus/config"
import { AppError, isAppError, type Logger, newId, silentLogger } from "@xionimus/kit"
import type { ModelPort } from "@xionimus/llm"
import { type PermissionMode, type Project, ProjectListQuery } from "@xionimus/protocol"
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
  /** The services' session engine (with the mode and tools asked for). */
  readonly engine: SessionEngine
  /**
   * The project registered for `directory` (compared by real path), registered now when there is none:
   * named after the directory, with source `{ kind: "directory", path }`. Raises SANDBOX_WORKSPACE_INVALID.
   */
  projectForDirectory(directory: string): Promise<Project>
  /** A live project by id (`prj_…`) or by a registered directory; PROJECT_NOT_FOUND otherwise. */
  findProject(reference: string, cwd: string): Promise<Project>
  /** Closes the services (a running turn ends interrupted first). */
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
 * Opens the services of the configured data directory; their session engine works on a `directory`
 * project's folder in place (files confined to it, commands in a sandbox over it, checkpoints in
 * `<data>/checkpoints/<projectId>.git`) as on any workspace. Sessions land in the same store, so the
 * server and `sessions list` see them.
 */
export async function openHeadlessSessions(options: HeadlessSessionsOptions): Promise<HeadlessSessions> {
  const logger = options.logger ?? silentLogger()
  const services = await createServices(options.config, logger, {
    ...(options.env ? { env: options.env } : {}),
    ...(options.modelPort ? { modelPort: options.modelPort } : {}),
    ...(options.mode ? { agentMode: options.mode } : {}),
    ...(options.tools ? { agentTools: options.tools } : {}),
  })
  const { store } = services
  const engine = services.sessions

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
      await services.close()
    },
  }
}
