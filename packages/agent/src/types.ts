import type { EventBus } from "@xionimus/bus"
import type { Logger } from "@xionimus/kit"
import type { BudgetVerdict, CallScope, ModelRouter } from "@xionimus/llm"
import type {
  FileChangedData,
  Page,
  PermissionDecision,
  PermissionMode,
  PermissionRule,
  PermissionScope,
  RewindMode,
  Session,
  SessionExport,
  SessionListQuery,
  SessionUsage,
  Share,
  StoredEvent,
} from "@xionimus/protocol"
import type { SessionPatch, SessionRepository } from "@xionimus/store"
import type { Checkpoints, ProjectFiles, ToolRegistry, ToolSandbox } from "@xionimus/tools"

/**
 * The contract of @xionimus/agent (docs/agent.md). `runTurn` is one turn of the loop over a session's
 * log; `createSessionEngine` runs sessions (queue, leases, cancel, decisions, rewind, fork, share,
 * export/import) and is what the server routes and the headless CLI call.
 */

/** What a turn may touch in its project: handed out by the composition root (server or CLI). */
export interface ProjectRuntime {
  projectId: string
  files: ProjectFiles
  /** Absent: `run` refuses (COMMAND_UNAVAILABLE). */
  sandbox?: ToolSandbox
  /** True when commands run inside an isolating sandbox (full-auto may then run them unasked). */
  sandboxed: boolean
  /** The hidden-git checkpoints of the workspace; absent: no checkpoints, rewind of code refused. */
  checkpoints?: Checkpoints
  /** Publishes `file.changed` on the project's activity stream after a tool changed files. */
  onFilesChanged?: (changes: FileChangedData[]) => void
}

/** Permission settings that apply to a turn: the mode and the project's and the user's rules. */
export interface PermissionSettings {
  mode: PermissionMode
  project: PermissionRule[]
  user: PermissionRule[]
}

export interface AgentLimits {
  /** Model calls per turn before it ends with outcome `limit` (default 50). */
  maxSteps: number
  /** Tokens (input + output) a session may use in total; reaching it pauses with reason budget. */
  sessionTokens?: number
  /** Tokens all sessions of a project may use in total. */
  projectTokens?: number
  /** Same tool with the same arguments this many times in a row asks the user (default 3). */
  loopThreshold: number
  /** Compaction starts when the prompt reaches this share of the model's context window (default 0.8). */
  compactAt: number
}

export interface SessionEngineDeps {
  bus: EventBus
  sessions: SessionRepository
  /** The log's head per stream (store.events); without it the head is read from the log. */
  log?: { head(stream: string): Promise<number> }
  /** `actor`: on whose behalf the runtime's commands run (their CPU time counts for that user). */
  runtimeFor(projectId: string, actor?: { userId: string | null }): Promise<ProjectRuntime>
  /** The router billed to the acting user (their and their teams' provider settings). */
  routerFor(userId: string | null): Promise<ModelRouter>
  /** The model's context window in tokens (the catalog; conservative default for unknown models). */
  contextWindowOf(model: string): number
  /** Whether the model reads images (the catalog); without it, attached images reach the model as paths only. */
  readsImages?(model: string): boolean
  /** Money budgets (config.models.budgets) for this call's scope. */
  checkBudget?(scope: CallScope): Promise<BudgetVerdict>
  permissions(projectId: string, userId: string | null): Promise<PermissionSettings>
  /** Adds "allow always" rules to the project's (scope project) or the user's (scope user) settings. */
  saveRules?(
    projectId: string,
    userId: string | null,
    scope: Exclude<PermissionScope, "session">,
    rules: PermissionRule[],
  ): Promise<void>
  tools?: ToolRegistry
  limits?: Partial<AgentLimits>
  /** Random per process; names the holder of turn leases. */
  nodeId: string
  /** How long a lease lasts without renewal (default 15 s; renewed every third of it). */
  leaseMs?: number
  /** The public base URL share links are built on (default: a relative /shared/<token>). */
  publicUrl?: string
  logger?: Logger
  clock?: () => Date
}

export interface SendInput {
  text: string
  /** Files of the project sent with it (workspace paths); each must be a file. */
  attachments?: string[]
  model?: string
  clientId?: string
  authorId: string | null
}

export interface RewindPreview {
  mode: RewindMode
  /** Unified diff from the workspace now to the restored state (empty for chat-only). */
  diff: string
  files: { path: string; change: "added" | "modified" | "deleted" }[]
  /** Events the chat would hide. */
  hiddenEvents: number
}

export interface SessionEngine {
  create(input: {
    projectId: string
    title?: string
    model?: string
    tags?: string[]
    createdBy: string | null
  }): Promise<Session>
  /** Raises SESSION_NOT_FOUND. */
  get(sessionId: string): Promise<Session>
  list(projectId: string, query: SessionListQuery): Promise<Page<Session>>
  update(sessionId: string, patch: SessionPatch): Promise<Session>
  /** Cancels a running turn, then removes the session and its log. */
  remove(sessionId: string): Promise<void>
  /** Appends `message.created`; starts a turn, or queues the message while one runs. */
  send(sessionId: string, input: SendInput): Promise<{ messageId: string; queued: boolean }>
  /** Cancels the running turn (kills its commands) and drops queued messages' turns; TURN_NOT_RUNNING when idle. */
  cancel(sessionId: string): Promise<void>
  /** Answers a `permission.asked`; PERMISSION_REQUEST_NOT_FOUND when no turn waits for it. */
  decide(
    sessionId: string,
    requestId: string,
    decision: PermissionDecision,
    actor: string | null,
  ): Promise<void>
  /** Continues an interrupted, paused or failed turn from the log; NOTHING_TO_RESUME otherwise. */
  resume(sessionId: string, actor: string | null): Promise<{ turnId: string }>
  rewindPreview(sessionId: string, messageId: string, mode: RewindMode): Promise<RewindPreview>
  /** Appends `session.reverted`; refused while a turn runs (TURN_RUNNING, 409). */
  rewind(sessionId: string, messageId: string, mode: RewindMode): Promise<StoredEvent>
  /** Undoes a rewind (a new `session.reverted` with `undoes`). */
  undoRewind(sessionId: string, revertEventId: string): Promise<StoredEvent>
  fork(
    sessionId: string,
    input: { messageId?: string; title?: string; createdBy: string | null },
  ): Promise<Session>
  exportJson(sessionId: string): Promise<SessionExport>
  exportMarkdown(sessionId: string): Promise<string>
  /** Validates and imports as a new session of the project; EXPORT_INVALID, EXPORT_VERSION_UNSUPPORTED. */
  importJson(projectId: string, data: unknown, createdBy: string | null): Promise<Session>
  share(sessionId: string, input: { expiresInDays: number; createdBy: string | null }): Promise<Share>
  listShares(sessionId: string): Promise<Share[]>
  revokeShare(sessionId: string, shareId: string): Promise<Share>
  /** A shared session, redacted, without an account; SHARE_NOT_FOUND when revoked or expired. */
  readShared(
    token: string,
    page: { after: number; limit: number },
  ): Promise<{ session: Pick<Session, "id" | "title" | "createdAt">; events: StoredEvent[]; head: number }>
  /** Marks the turns of expired leases interrupted (on start and every lease period). */
  recover(): Promise<number>
  /** Resolves when the session has no running turn and no queued message (tests, headless runs). */
  idle(sessionId: string): Promise<void>
  /** Stops taking turns; running turns end as interrupted and release their leases. */
  close(): Promise<void>
}

/** The engine's methods built by createSessionOperations (session-operations.ts): rewind, fork, export, share. */
export type SessionOperations = Pick<
  SessionEngine,
  | "rewindPreview"
  | "rewind"
  | "undoRewind"
  | "fork"
  | "exportJson"
  | "exportMarkdown"
  | "importJson"
  | "share"
  | "listShares"
  | "revokeShare"
  | "readShared"
>

/** One turn: what runTurn needs beyond the engine's deps. */
export interface TurnInput {
  sessionId: string
  projectId: string
  turnId: string
  /** The user message answered; absent when resuming. */
  messageId?: string
  model: string
  userId: string | null
  signal: AbortSignal
  /** The session's log so far (the turn reads the history from it). */
  history: StoredEvent[]
}

export type TurnOutcome =
  | { outcome: "completed" }
  | { outcome: "cancelled" }
  | { outcome: "limit"; message: string }
  | { outcome: "budget"; message: string }
  | { outcome: "failed"; error: { code: string; message: string } }

/** A turn's outcome and what its model calls used (summary and sub-agent calls included). */
export type TurnResult = TurnOutcome & { usage: SessionUsage }

/** A decision the engine received for a waiting permission request. */
export interface ReceivedDecision {
  decision: PermissionDecision
  decidedBy: string | null
}

/** What runTurn works with: the engine's deps narrowed to one session's turn. */
export interface TurnDeps {
  bus: Pick<EventBus, "append">
  sessions: Pick<SessionRepository, "get" | "addUsage" | "indexText" | "projectUsage" | "setRunState">
  runtime: ProjectRuntime
  router: ModelRouter
  tools: ToolRegistry
  contextWindowOf(model: string): number
  readsImages?(model: string): boolean
  checkBudget?(scope: CallScope): Promise<BudgetVerdict>
  permissions: PermissionSettings
  /** "Allow always" answers given in this session so far (the engine keeps them between turns). */
  sessionRules: PermissionRule[]
  onSessionRules?(rules: PermissionRule[]): void
  /**
   * Saves the rules an "allow always" answer with scope project or user added; `decidedBy` is who answered
   * (a user-scope rule belongs to that person, who may not be the one whose message started the turn).
   */
  saveRules?(
    scope: Exclude<PermissionScope, "session">,
    rules: PermissionRule[],
    decidedBy: string | null,
  ): Promise<void>
  /**
   * Registers a waiter for the answer to `requestId` (called before `permission.asked` is appended)
   * and returns it; the engine's decide() appends `permission.decided` and resolves it. Rejects
   * (TOOL_ABORTED) when the signal aborts or the turn ends.
   */
  waitForDecision(requestId: string, signal: AbortSignal): Promise<ReceivedDecision>
  limits: AgentLimits
  logger: Logger
  clock: () => Date
}
