import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createEventBus, createInProcessPubSub } from "@xionimus/bus"
import {
  type BudgetVerdict,
  type CallScope,
  createModelCatalog,
  createModelRouter,
  type ModelMessage,
  type ModelPort,
  type ModelRouter,
  type ToolResult,
} from "@xionimus/llm"
import type { PermissionMode, PermissionRule, StoredEvent } from "@xionimus/protocol"
import { createBubblewrapProvider, type SandboxProvider } from "@xionimus/sandbox"
import { openStore, type SessionRepository, type Store } from "@xionimus/store"
import { createScriptedModel, type ScriptedModel, type ScriptedTurn } from "@xionimus/testing"
import type { ToolRegistry } from "@xionimus/tools"
import {
  checkpointGitDir,
  createCheckpoints,
  createWorkspaceManager,
  type ProjectFiles,
} from "@xionimus/workspace"
import { createSessionEngine } from "../src/session-engine.ts"
import type { AgentLimits, ProjectRuntime, SessionEngine, SessionEngineDeps } from "../src/types.ts"

export const model = "scripted/model"
export const projectId = "prj_agent"

export interface AgentFixtureOptions {
  turns?: ScriptedTurn[]
  /** Files of the project before the session starts. */
  files?: Record<string, string>
  /** Run commands in the real bubblewrap sandbox (otherwise `run` refuses). */
  sandbox?: boolean
  mode?: PermissionMode
  projectRules?: PermissionRule[]
  limits?: Partial<AgentLimits>
  contextWindow?: number
  checkBudget?: (scope: CallScope) => Promise<BudgetVerdict>
  leaseMs?: number
  nodeId?: string
  tools?: ToolRegistry
  /** A model port of the test's own instead of the scripted model. */
  port?: ModelPort
  /** The catalog says the model reads images (attached images are then sent as images). */
  vision?: boolean
}

export interface AgentFixture {
  directory: string
  workspace: string
  files: ProjectFiles
  store: Store
  sessions: SessionRepository
  /** Leases held now (any node). */
  leaseCount(): Promise<number>
  bus: ReturnType<typeof createEventBus>
  model: ScriptedModel
  router: ModelRouter
  engine: SessionEngine
  deps: SessionEngineDeps
  /** Paths reported through onFilesChanged, one list per change. */
  changed: string[][]
  events(sessionId: string): Promise<StoredEvent[]>
  /** Resolves with the first event (after `after`) that matches. */
  waitFor(sessionId: string, test: (event: StoredEvent) => boolean, after?: number): Promise<StoredEvent>
  newEngine(overrides?: Partial<SessionEngineDeps>): SessionEngine
  [Symbol.asyncDispose](): Promise<void>
}

export async function createAgentFixture(
  t: { after(fn: () => void): void },
  options: AgentFixtureOptions = {},
): Promise<AgentFixture> {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-agent-"))
  const root = join(directory, "workspaces")
  const workspace = join(root, projectId)
  const workspaces = createWorkspaceManager({
    root,
    limits: { maxFileBytes: 4 * 1024 * 1024, maxUploadBytes: 8 * 1024 * 1024, maxUploadFiles: 100 },
  })
  await workspaces.create(projectId, { kind: "empty" })
  const files = workspaces.files(projectId)
  for (const [path, text] of Object.entries(options.files ?? {})) await files.write(path, Buffer.from(text))
  const checkpoints = createCheckpoints({ workspace, gitDir: checkpointGitDir(root, projectId) })
  const store = await openStore({ sqlitePath: join(directory, "xionimus.sqlite") })
  const bus = createEventBus({ log: store.events, pubsub: createInProcessPubSub() })
  const sessions = store.sessions
  const scripted = createScriptedModel(options.turns ?? [], t)
  const catalog = createModelCatalog({
    overrides: {
      [model]: {
        contextWindow: 200_000,
        maxOutputTokens: 4_096,
        capabilities: { tools: true, vision: options.vision ?? false },
      },
    },
  })
  const router = createModelRouter({
    port: options.port ?? scripted,
    catalog,
    config: { default: model, retry: { attempts: 2, baseDelayMs: 1 } },
  })
  let provider: SandboxProvider | undefined
  let sandbox: ProjectRuntime["sandbox"]
  if (options.sandbox) {
    provider = await createBubblewrapProvider({ cgroups: false, diskCheckIntervalMs: 0 })
    sandbox = await provider.create({ projectId, workspaceDir: workspace })
  }
  const changed: string[][] = []
  const deps: SessionEngineDeps = {
    bus,
    sessions,
    log: store.events,
    async runtimeFor(id) {
      return {
        projectId: id,
        files,
        ...(sandbox ? { sandbox } : {}),
        sandboxed: sandbox !== undefined,
        checkpoints,
        onFilesChanged: (changes) => changed.push(changes.map((change) => change.path)),
      }
    },
    routerFor: async () => router,
    contextWindowOf: () => options.contextWindow ?? 200_000,
    readsImages: (name) => catalog.lookup(name).entry.capabilities.vision,
    ...(options.checkBudget ? { checkBudget: options.checkBudget } : {}),
    permissions: async () => ({
      mode: options.mode ?? "full-auto",
      project: options.projectRules ?? [],
      user: [],
    }),
    ...(options.tools ? { tools: options.tools } : {}),
    limits: options.limits ?? {},
    nodeId: options.nodeId ?? "node-test",
    leaseMs: options.leaseMs ?? 15_000,
  }
  const engines: SessionEngine[] = []
  const newEngine = (overrides: Partial<SessionEngineDeps> = {}) => {
    const engine = createSessionEngine({ ...deps, ...overrides })
    engines.push(engine)
    return engine
  }
  const engine = newEngine()

  async function events(sessionId: string): Promise<StoredEvent[]> {
    return bus.read(sessionId, { after: 0, limit: 100_000 })
  }

  function waitFor(
    sessionId: string,
    test: (event: StoredEvent) => boolean,
    after = 0,
  ): Promise<StoredEvent> {
    return new Promise((resolve, reject) => {
      let dispose: (() => void) | undefined
      let found: StoredEvent | undefined
      bus
        .subscribe(sessionId, {
          after,
          onEvent(event) {
            if (found || !test(event)) return
            found = event
            dispose?.()
            resolve(event)
          },
          onError: reject,
        })
        .then((subscription) => {
          dispose = () => void subscription.dispose()
          if (found) dispose()
        }, reject)
    })
  }

  return {
    directory,
    workspace,
    files,
    store,
    sessions,
    leaseCount: async () => (await sessions.expiredLeases("9999-12-31T00:00:00.000Z", 1_000)).length,
    bus,
    model: scripted,
    router,
    engine,
    deps,
    changed,
    events,
    waitFor,
    newEngine,
    async [Symbol.asyncDispose]() {
      for (const each of engines) await each.close()
      await provider?.dispose()
      await bus.close()
      await store.close()
      await rm(directory, { recursive: true, force: true })
    },
  }
}

/** The event types of a log, in order, leaving out the ones named. */
export function typesOf(events: readonly StoredEvent[], without: readonly string[] = []): string[] {
  return events.map((event) => event.type).filter((type) => !without.includes(type))
}

export function dataOf<T = Record<string, unknown>>(events: readonly StoredEvent[], type: string): T[] {
  return events.filter((event) => event.type === type).map((event) => event.data as T)
}

/** Tool results the model received in one request. */
export function toolResults(messages: ModelMessage[]): ToolResult[] {
  return messages.flatMap((message) => (message.role === "tool" ? message.content : []))
}

/** The plain-text user messages the model received in one request. */
export function userTexts(messages: ModelMessage[]): string[] {
  return messages.flatMap((message) =>
    message.role === "user" && typeof message.content === "string" ? [message.content] : [],
  )
}
