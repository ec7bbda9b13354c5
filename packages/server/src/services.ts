import { mkdir } from "node:fs/promises"
import { join } from "node:path"
import type { SessionEngine } from "@xionimus/agent"
import { type AuthService, createAccounts, type TeamService, type TotpService } from "@xionimus/auth"
import { createEventBus, createInProcessPubSub, createRedisPubSub, type EventBus } from "@xionimus/bus"
import { type Config, resolveDataDir } from "@xionimus/config"
import { AppError, DisposerStack, fromSystemError, type Logger } from "@xionimus/kit"
import type { ModelPort } from "@xionimus/llm"
import type { PermissionMode } from "@xionimus/protocol"
import { openStore, type Store, type StoreOptions } from "@xionimus/store"
import type { ToolRegistry } from "@xionimus/tools"
import { createWorkspaceManager, type WorkspaceManager } from "@xionimus/workspace"
import { createRedisLockout } from "./auth/redis-login-throttle.ts"
import { createLlmServices, type LlmServices } from "./llm/llm-services.ts"
import { createOrchestraHost, type OrchestraHost } from "./orchestra-host.ts"
import { meteredSandboxHost } from "./quotas/metered-sandbox-host.ts"
import { createQuotaService, type QuotaService } from "./quotas/quota-service.ts"
import { createSandboxHost, type SandboxHost } from "./sandbox-host.ts"
import { createKeyringBox } from "./secrets/keyring-box.ts"
import { createSessionHost } from "./session-host.ts"

/** What the routes work with; opened once per process by the composition root. */
export interface Services {
  /** The resolved data directory (SQLite file, workspaces). */
  readonly dataDir: string
  readonly store: Store
  readonly bus: EventBus
  readonly workspaces: WorkspaceManager
  /** Accounts: users, sessions, API keys, audit log. */
  readonly auth: AuthService
  /** Teams and roles: who may read, change or manage which project. */
  readonly teams: TeamService
  /** Two-factor sign-in (TOTP) and recovery codes. */
  readonly totp: TotpService
  /** Models, providers (configured and stored per user), routing and usage accounting. */
  readonly llm: LlmServices
  /** Sandboxes for running code in projects (created on first use). */
  readonly sandboxes: SandboxHost
  /** Quotas per user and team: model spend, sandbox CPU time, storage (docs/auth.md#quotas). */
  readonly quotas: QuotaService
  /** Agent sessions: turns, queue, decisions, rewind, fork, share, export (docs/agent.md). */
  readonly sessions: SessionEngine
  /** Orchestra runs: roles, work packages in worktrees, gates, CONTEXT.md (docs/orchestra.md). */
  readonly orchestra: OrchestraHost
  /** Closes the sessions, the sandboxes, the bus, then the store. Calling it twice is harmless. */
  close(): Promise<void>
}

export interface ServiceOptions {
  /** PostgreSQL schema to work in (tests and benches create one per run). */
  databaseSchema?: string
  /** Prefix of every Redis channel (tests and benches use one per run). */
  redisPrefix?: string
  /** Environment used to resolve the default data directory; defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>
  /** Answers every model call instead of the configured providers (tests: the scripted model). */
  modelPort?: ModelPort
  /** Turn lease length and recovery period (tests); default the engine's 15 s. */
  leaseMs?: number
  /** Replaces the permission mode of every turn (`xionimus run --yes`: full-auto). */
  agentMode?: PermissionMode
  /** The tools the agent may call (benches); default the built-in ones. */
  agentTools?: ToolRegistry
}

/**
 * Where projects registered on a folder (`xionimus run --project <dir>`, source kind "directory") keep
 * their files. A project's source never changes, so answers are cached.
 */
function externalDirectories(store: Store): (projectId: string) => Promise<string | undefined> {
  const known = new Map<string, string | undefined>()
  return async (projectId) => {
    if (known.has(projectId)) return known.get(projectId)
    const project = await store.projects.get(projectId)
    const path = project?.source.kind === "directory" ? project.source.path : undefined
    if (project) known.set(projectId, path)
    return path
  }
}

/** The database options of a config: PostgreSQL when databaseUrl is set, else SQLite in the data dir. */
export function storeOptionsOf(config: Config, dataDir: string, options: ServiceOptions = {}): StoreOptions {
  return config.databaseUrl
    ? {
        databaseUrl: config.databaseUrl,
        ...(options.databaseSchema ? { schema: options.databaseSchema } : {}),
      }
    : { sqlitePath: join(dataDir, "xionimus.db") }
}

/** Creates a data directory, translating the system's errors into ones a person can act on. */
export async function ensureDirectory(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true })
  } catch (error) {
    const known = fromSystemError(error, { path })
    if (known) throw known
    throw new AppError(
      "CONFIG_INVALID",
      `The data directory ${path} cannot be created (${(error as NodeJS.ErrnoException).code ?? "unknown error"}). ` +
        "Choose another with --data-dir or XIONIMUS_DATA_DIR.",
      { path },
      { cause: error },
    )
  }
}

/**
 * Opens everything the server needs: the store (migrated), the event bus (in-process, or Redis when
 * config.redisUrl is set) and the workspaces under <dataDir>/workspaces. Raises DB_TOO_NEW when the
 * database was written by a newer Xionimus.
 */
export async function createServices(
  config: Config,
  logger: Logger,
  options: ServiceOptions = {},
): Promise<Services> {
  const dataDir = resolveDataDir(config, options.env ?? process.env)
  const stack = new DisposerStack()
  try {
    await ensureDirectory(dataDir)
    const store = await openStore({
      ...storeOptionsOf(config, dataDir, options),
      migrate: false,
      logger: logger.child({ component: "store" }),
    })
    stack.add(() => store.close())
    const { applied } = await store.migrate()
    if (applied.length > 0) logger.info({ applied }, "database migrated")
    const pubsub = config.redisUrl
      ? createRedisPubSub({
          url: config.redisUrl,
          ...(options.redisPrefix ? { prefix: options.redisPrefix } : {}),
        })
      : createInProcessPubSub()
    const bus = createEventBus({ log: store.events, pubsub, logger: logger.child({ component: "bus" }) })
    stack.add(() => bus.close())
    const workspacesRoot = join(dataDir, "workspaces")
    await ensureDirectory(workspacesRoot)
    const externalDirectory = externalDirectories(store)
    const workspaces = createWorkspaceManager({
      root: workspacesRoot,
      limits: config.limits,
      logger: logger.child({ component: "workspace" }),
      externalDirectory,
    })
    logger.info(
      { dataDir, database: store.kind, bus: config.redisUrl ? "redis" : "in-process" },
      "services open",
    )
    // Provider keys and TOTP secrets are sealed with the keyring (followed live: `xionimus secrets rotate`).
    const secrets = createKeyringBox(config.secretsKey, dataDir)
    // Sign-in lockout counters: shared by every node through Redis when it is configured.
    const lockout = config.redisUrl
      ? createRedisLockout(
          config.redisUrl,
          options.redisPrefix ?? "xionimus-",
          logger.child({ component: "auth" }),
        )
      : undefined
    if (lockout) stack.add(() => lockout.close())
    const { auth, teams, totp } = createAccounts(store, {
      logger: logger.child({ component: "auth" }),
      sealer: secrets,
      ...(lockout ? { throttle: lockout.byEmail, addressThrottle: lockout.byAddress } : {}),
    })
    const quotas = createQuotaService({ config, store, workspacesRoot })
    const llm = createLlmServices({
      config,
      store,
      dataDir,
      logger: logger.child({ component: "llm" }),
      quotaRefusal: (scope) => quotas.modelRefusal(scope),
      secretBox: secrets,
      teamsOf: async (userId) => (await teams.listTeams(userId)).map((team) => team.id),
      ...(options.modelPort ? { modelPort: options.modelPort } : {}),
    })
    // Closed before the store: queued usage rows are written first.
    stack.add(() => llm.close())
    const sandboxes = createSandboxHost({
      config,
      workspacesRoot,
      logger,
      userCount: () => store.auth.countUsers(),
      directoryOf: (projectId) => workspaces.directory(projectId),
    })
    // Disposed before the bus and store they write to: runs end first.
    stack.add(() => sandboxes.close())
    const sessionHost = createSessionHost({
      config,
      store,
      bus,
      workspaces,
      workspacesRoot,
      // The agent's commands count towards the project team's CPU quota.
      sandboxes: meteredSandboxHost(sandboxes, quotas, logger),
      llm,
      logger,
      ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
      ...(options.agentMode ? { mode: options.agentMode } : {}),
      ...(options.agentTools ? { tools: options.agentTools } : {}),
    })
    // Added last, so closed first: running turns end (interrupted) before their commands are killed.
    stack.add(() => sessionHost.close())
    // Turns of a server that died mid-turn are marked interrupted now and every lease period.
    await sessionHost.start()
    const orchestra = await createOrchestraHost({
      config,
      store,
      bus,
      workspaces,
      workspacesRoot,
      dataDir,
      sandboxes: meteredSandboxHost(sandboxes, quotas, logger),
      llm,
      sessions: sessionHost,
      logger,
      ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    })
    // Closed before the sessions: running steps stop (and stay open for resume) first.
    stack.add(() => orchestra.close())
    return {
      dataDir,
      store,
      bus,
      workspaces,
      auth,
      teams,
      totp,
      llm,
      sandboxes,
      sessions: sessionHost.engine,
      orchestra,
      quotas,
      close: () => stack.dispose(),
    }
  } catch (error) {
    await stack.dispose().catch((closeError: unknown) => logger.warn({ err: closeError }, "cleanup failed"))
    throw error
  }
}
