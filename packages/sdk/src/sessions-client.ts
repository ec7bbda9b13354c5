import type {
  CallDiff,
  CompactResult,
  ModelList,
  Page,
  PermissionDecision,
  PermissionMode,
  PermissionRule,
  RewindMode,
  Session,
  SessionExport,
  Share,
  StoredEvent,
} from "@xionimus/protocol"
import {
  CallDiff as CallDiffSchema,
  CompactResult as CompactResultSchema,
  EventPage,
  MessageCreatedData,
  ModelList as ModelListSchema,
  PermissionRule as PermissionRuleSchema,
  pageOf,
  SessionExport as SessionExportSchema,
  Session as SessionSchema,
  SessionSettings,
  Share as ShareSchema,
  StoredEvent as StoredEventSchema,
  TurnStartedData,
} from "@xionimus/protocol"
import type { CallOptions, ClientOptions } from "./client.ts"
import { createHttp, type Schema } from "./http.ts"

export interface ListSessionsOptions extends CallOptions {
  limit?: number
  cursor?: string
  /** Case-insensitive substring of the title or of a message's text. */
  q?: string
  tag?: string
  /** true: archived sessions only; false or absent: the others. */
  archived?: boolean
}

export interface CreateSessionInput {
  title?: string
  /** `<provider>/<model>`; absent: the configured default. */
  model?: string
  tags?: string[]
}

export interface UpdateSessionInput {
  title?: string
  /** null goes back to the configured default. */
  model?: string | null
  tags?: string[]
  pinned?: boolean
  archived?: boolean
}

export interface SendMessageInput {
  text: string
  /** Files of the project sent with it (workspace paths, at most 20); images reach vision models as images. */
  attachments?: string[]
  /** Overrides the session's model for this turn. */
  model?: string
  /** Idempotency: sending the same id twice creates one message. */
  clientId?: string
}

export interface RewindInput {
  /** The user message to go back to: it and everything after it are undone. */
  messageId: string
  /** Default "code-and-chat". */
  mode?: RewindMode
}

export interface RewindPreview {
  mode: RewindMode
  /** Unified diff from the workspace now to the restored state (empty for chat only). */
  diff: string
  files: { path: string; change: "added" | "modified" | "deleted" }[]
  /** Events the chat would hide. */
  hiddenEvents: number
}

export interface SessionEventPage {
  items: StoredEvent[]
  head: number
  session: Session
}

export interface SharedSession {
  session: { id: string; title: string; createdAt: string }
  /** Secrets are redacted by the server. */
  items: StoredEvent[]
  head: number
}

export interface PermissionSettings {
  mode: PermissionMode
  rules: PermissionRule[]
}
export interface UserPermissionSettings {
  mode?: PermissionMode
  rules: PermissionRule[]
}

/** The session routes of docs/api.md. Every failure is thrown as an ApiError. */
export interface SessionsClient {
  list(projectId: string, options?: ListSessionsOptions): Promise<Page<Session>>
  create(projectId: string, input?: CreateSessionInput, options?: CallOptions): Promise<Session>
  /** Creates a session of the project from an export document (as `exportJson` returned it). */
  importJson(projectId: string, document: unknown, options?: CallOptions): Promise<Session>
  get(sessionId: string, options?: CallOptions): Promise<Session>
  update(sessionId: string, input: UpdateSessionInput, options?: CallOptions): Promise<Session>
  remove(sessionId: string, options?: CallOptions): Promise<void>
  /** A page of the session's log after `after` (default 0), its head and the session itself. */
  events(
    sessionId: string,
    options?: CallOptions & { after?: number; limit?: number },
  ): Promise<SessionEventPage>
  /** Sends a user message; `queued` when a turn runs (it starts the next one). */
  send(
    sessionId: string,
    input: SendMessageInput,
    options?: CallOptions,
  ): Promise<{ messageId: string; queued: boolean }>
  /** Asks the running turn to stop; it ends with `turn.ended` (cancelled). */
  cancel(sessionId: string, options?: CallOptions): Promise<void>
  /** Continues an interrupted or paused turn. */
  resume(sessionId: string, options?: CallOptions): Promise<{ turnId: string }>
  /** Answers an open permission question. */
  decide(
    sessionId: string,
    requestId: string,
    decision: PermissionDecision,
    options?: CallOptions,
  ): Promise<void>
  rewindPreview(sessionId: string, input: RewindInput, options?: CallOptions): Promise<RewindPreview>
  /** Returns the `session.reverted` event. */
  rewind(sessionId: string, input: RewindInput, options?: CallOptions): Promise<StoredEvent>
  /** Takes a rewind back (`revertEventId`: the id of its `session.reverted` event). */
  undoRewind(sessionId: string, revertEventId: string, options?: CallOptions): Promise<StoredEvent>
  fork(
    sessionId: string,
    input?: { messageId?: string; title?: string },
    options?: CallOptions,
  ): Promise<Session>
  /** Compacts the conversation now (prunes old tool outputs, summarises older messages); TURN_RUNNING while a turn runs. */
  compact(sessionId: string, options?: CallOptions): Promise<CompactResult>
  /**
   * What one tool call changed (edit, write_file, run…): each file with its text before and after, from
   * the checkpoints around the call. CALL_NOT_FOUND, or CALL_NOT_RECORDED when it changed nothing.
   */
  callDiff(sessionId: string, callId: string, options?: CallOptions): Promise<CallDiff>
  exportJson(sessionId: string, options?: CallOptions): Promise<SessionExport>
  exportMarkdown(sessionId: string, options?: CallOptions): Promise<string>
  /** URL of the export as an attachment (a download link). */
  exportUrl(sessionId: string, format?: "json" | "markdown"): string
  /** The answer holds the token and url, shown this once. */
  createShare(sessionId: string, input?: { expiresInDays?: number }, options?: CallOptions): Promise<Share>
  listShares(sessionId: string, options?: CallOptions): Promise<Share[]>
  revokeShare(sessionId: string, shareId: string, options?: CallOptions): Promise<Share>
  /** A shared session, without an account. */
  readShared(
    token: string,
    options?: CallOptions & { after?: number; limit?: number },
  ): Promise<SharedSession>
  projectPermissions(projectId: string, options?: CallOptions): Promise<PermissionSettings>
  setProjectPermissions(
    projectId: string,
    settings: PermissionSettings,
    options?: CallOptions,
  ): Promise<PermissionSettings>
  myPermissions(options?: CallOptions): Promise<UserPermissionSettings>
  setMyPermissions(settings: UserPermissionSettings, options?: CallOptions): Promise<UserPermissionSettings>
  /** The models the signed-in user can choose, with context window and prices. */
  models(options?: CallOptions): Promise<ModelList>
}

// Answers whose shapes live in the server's routes: built from protocol schemas, or checked by hand.
const SessionPage = pageOf(SessionSchema)
const SessionEventPageSchema = EventPage.extend({ session: SessionSchema })
const SharedSessionSchema = EventPage.extend({
  session: SessionSchema.pick({ id: true, title: true, createdAt: true }),
})
const ShareList = pageOf(ShareSchema).pick({ items: true })
const MessageAccepted = MessageCreatedData.pick({ messageId: true, queued: true })
const TurnAccepted = TurnStartedData.pick({ turnId: true })
const ProjectPermissions = SessionSettings.extend({ rules: PermissionRuleSchema.array() })
const UserPermissions = SessionSettings.partial().extend({ rules: PermissionRuleSchema.array() })

const fileChanges = new Set(["added", "modified", "deleted"])
const RewindPreviewSchema: Schema<RewindPreview> = {
  safeParse(value) {
    const preview = value as Partial<RewindPreview> | null
    const issues: string[] = []
    if (typeof preview?.diff !== "string") issues.push("diff is not a string")
    if (typeof preview?.mode !== "string") issues.push("mode is not a string")
    if (typeof preview?.hiddenEvents !== "number") issues.push("hiddenEvents is not a number")
    if (
      !Array.isArray(preview?.files) ||
      !preview.files.every((file) => typeof file?.path === "string" && fileChanges.has(file?.change))
    )
      issues.push("files is not a list of { path, change }")
    return issues.length === 0
      ? { success: true, data: preview as RewindPreview }
      : { success: false, error: { issues } }
  },
}

export function createSessionsClient(options: ClientOptions): SessionsClient {
  const http = createHttp(options)
  const session = (sessionId: string) => `/api/sessions/${encodeURIComponent(sessionId)}`
  const project = (projectId: string) => `/api/projects/${encodeURIComponent(projectId)}`
  const signalOf = (callOptions?: CallOptions) => (callOptions?.signal ? { signal: callOptions.signal } : {})
  const post = (body: unknown, callOptions?: CallOptions) => ({
    method: "POST" as const,
    body,
    ...signalOf(callOptions),
  })

  return {
    list: (projectId, { limit, cursor, q, tag, archived, signal } = {}) =>
      http.json(`${project(projectId)}/sessions`, SessionPage, {
        query: { limit, cursor, q: q || undefined, tag, archived },
        signal,
      }),
    create: (projectId, input = {}, callOptions) =>
      http.json(`${project(projectId)}/sessions`, SessionSchema, post(input, callOptions)),
    importJson: (projectId, document, callOptions) =>
      http.json(`${project(projectId)}/sessions/import`, SessionSchema, post(document, callOptions)),
    get: (sessionId, callOptions) => http.json(session(sessionId), SessionSchema, signalOf(callOptions)),
    update: (sessionId, input, callOptions) =>
      http.json(session(sessionId), SessionSchema, {
        method: "PATCH",
        body: input,
        ...signalOf(callOptions),
      }),
    remove: (sessionId, callOptions) =>
      http.empty(session(sessionId), { method: "DELETE", ...signalOf(callOptions) }),
    events: (sessionId, { after, limit, signal } = {}) =>
      http.json(`${session(sessionId)}/events`, SessionEventPageSchema, { query: { after, limit }, signal }),
    send: (sessionId, input, callOptions) =>
      http.json(`${session(sessionId)}/messages`, MessageAccepted, post(input, callOptions)),
    cancel: (sessionId, callOptions) =>
      http.empty(`${session(sessionId)}/cancel`, { method: "POST", ...signalOf(callOptions) }),
    resume: (sessionId, callOptions) =>
      http.json(`${session(sessionId)}/resume`, TurnAccepted, { method: "POST", ...signalOf(callOptions) }),
    decide: (sessionId, requestId, decision, callOptions) =>
      http.empty(`${session(sessionId)}/permissions`, post({ requestId, decision }, callOptions)),
    rewindPreview: (sessionId, input, callOptions) =>
      http.json(`${session(sessionId)}/rewind/preview`, RewindPreviewSchema, post(input, callOptions)),
    rewind: (sessionId, input, callOptions) =>
      http.json(`${session(sessionId)}/rewind`, StoredEventSchema, post(input, callOptions)),
    undoRewind: (sessionId, revertEventId, callOptions) =>
      http.json(`${session(sessionId)}/rewind/${encodeURIComponent(revertEventId)}/undo`, StoredEventSchema, {
        method: "POST",
        ...signalOf(callOptions),
      }),
    fork: (sessionId, input = {}, callOptions) =>
      http.json(`${session(sessionId)}/fork`, SessionSchema, post(input, callOptions)),
    compact: (sessionId, callOptions) =>
      http.json(`${session(sessionId)}/compact`, CompactResultSchema, {
        method: "POST",
        ...signalOf(callOptions),
      }),
    callDiff: (sessionId, callId, callOptions) =>
      http.json(`${session(sessionId)}/calls/${encodeURIComponent(callId)}/diff`, CallDiffSchema, {
        ...signalOf(callOptions),
      }),
    exportJson: (sessionId, callOptions) =>
      http.json(`${session(sessionId)}/export`, SessionExportSchema, {
        query: { format: "json" },
        ...signalOf(callOptions),
      }),
    exportMarkdown: (sessionId, callOptions) =>
      http.text(`${session(sessionId)}/export`, { query: { format: "markdown" }, ...signalOf(callOptions) }),
    exportUrl: (sessionId, format = "json") => http.url(`${session(sessionId)}/export`, { format }),
    createShare: (sessionId, input = {}, callOptions) =>
      http.json(`${session(sessionId)}/shares`, ShareSchema, post(input, callOptions)),
    async listShares(sessionId, callOptions) {
      const answer = await http.json(`${session(sessionId)}/shares`, ShareList, signalOf(callOptions))
      return answer.items
    },
    revokeShare: (sessionId, shareId, callOptions) =>
      http.json(`${session(sessionId)}/shares/${encodeURIComponent(shareId)}`, ShareSchema, {
        method: "DELETE",
        ...signalOf(callOptions),
      }),
    readShared: (token, { after, limit, signal } = {}) =>
      http.json(`/api/shared/${encodeURIComponent(token)}`, SharedSessionSchema, {
        query: { after, limit },
        signal,
      }),
    projectPermissions: (projectId, callOptions) =>
      http.json(`${project(projectId)}/permissions`, ProjectPermissions, signalOf(callOptions)),
    setProjectPermissions: (projectId, settings, callOptions) =>
      http.json(`${project(projectId)}/permissions`, ProjectPermissions, {
        method: "PUT",
        body: settings,
        ...signalOf(callOptions),
      }),
    myPermissions: (callOptions) => http.json("/api/me/permissions", UserPermissions, signalOf(callOptions)),
    setMyPermissions: (settings, callOptions) =>
      http.json("/api/me/permissions", UserPermissions, {
        method: "PUT",
        body: settings,
        ...signalOf(callOptions),
      }),
    models: (callOptions) => http.json("/api/models", ModelListSchema, signalOf(callOptions)),
  }
}
