import { z } from "zod"
import { ErrorData } from "./error.ts"
import { PermissionDecision, PermissionMode, PermissionRequest } from "./permission.ts"

/**
 * Sessions: a conversation with an agent in a project. Its event log is the stream named by the
 * session id (`ses_…`); the `session` table holds what lists and searches need (title, tags, pin,
 * archive, run state). See docs/agent.md.
 */

export const SessionId = z.string().regex(/^ses_[0-9A-Za-z_-]{1,64}$/, "a session id such as ses_…")
export const SessionTag = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _.-]*$/u, "letters, digits, space, _ . -")

/** What a session is doing: idle (ready), running (a turn), paused (waiting for a person), interrupted (the server died mid-turn). */
export const SessionRunState = z.enum(["idle", "running", "paused", "interrupted"])
export type SessionRunState = z.infer<typeof SessionRunState>

export const SessionUsage = z.object({
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  cachedInputTokens: z.number().int().min(0),
  costUsd: z.number().min(0),
})
export type SessionUsage = z.infer<typeof SessionUsage>

export const Session = z.object({
  id: SessionId,
  projectId: z.string(),
  title: z.string(),
  tags: z.array(z.string()),
  pinned: z.boolean(),
  archived: z.boolean(),
  runState: SessionRunState,
  /** The model new turns use, `<provider>/<model>`; null: the configured default. */
  model: z.string().nullable(),
  /** The session this one was forked from, and the seq it was forked at. */
  forkedFrom: z.object({ sessionId: z.string(), seq: z.number().int() }).nullable(),
  /** The last seq of its event log. */
  head: z.number().int().min(0),
  usage: SessionUsage,
  createdBy: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
})
export type Session = z.infer<typeof Session>

export const SessionListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(2048).optional(),
  /** Matches the title and the text of messages (case-insensitive substring). */
  q: z.string().min(1).max(200).optional(),
  tag: SessionTag.optional(),
  /** Archived sessions are left out unless asked for. */
  archived: z
    .enum(["true", "false"])
    .transform((value) => value === "true")
    .optional(),
})
export type SessionListQuery = z.infer<typeof SessionListQuery>

export const CreateSessionBody = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  model: z.string().min(3).max(200).optional(),
  tags: z.array(SessionTag).max(20).optional(),
})
export const UpdateSessionBody = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  model: z.string().min(3).max(200).nullable().optional(),
  tags: z.array(SessionTag).max(20).optional(),
  pinned: z.boolean().optional(),
  archived: z.boolean().optional(),
})

/** Files of the project sent with a message (workspace-relative paths); images reach vision models as images. */
export const MessageAttachments = z.array(z.string().min(1).max(1000)).max(20)

export const SendMessageBody = z
  .strictObject({
    /** May be empty when files are attached. */
    text: z.string().max(200_000),
    attachments: MessageAttachments.optional(),
    /** Overrides the session's model for this turn. */
    model: z.string().min(3).max(200).optional(),
    /** Idempotency: the same id sent twice creates one message. */
    clientId: z.string().min(1).max(64).optional(),
  })
  .refine((body) => body.text.trim() !== "" || (body.attachments?.length ?? 0) > 0, {
    message: "Write a message or attach a file.",
    path: ["text"],
  })

export const RewindMode = z.enum(["code-and-chat", "chat", "code"])
export type RewindMode = z.infer<typeof RewindMode>
export const RewindBody = z.strictObject({
  /** The user message to go back to: it and everything after it are undone. */
  messageId: z.string().min(1).max(64),
  mode: RewindMode.default("code-and-chat"),
})
export const ForkBody = z.strictObject({
  /** The fork holds the events up to and including this message's turn; absent: the whole log. */
  messageId: z.string().min(1).max(64).optional(),
  title: z.string().trim().min(1).max(200).optional(),
})
/** The answer of a compaction on demand (POST /api/sessions/{sessionId}/compact). */
export const CompactResult = z.object({
  /** False when there was nothing to compact (a session.compacted event is appended otherwise). */
  compacted: z.boolean(),
  /** Estimated prompt tokens before and after; null when nothing was compacted. */
  tokensBefore: z.number().int().nullable(),
  tokensAfter: z.number().int().nullable(),
})
export type CompactResult = z.infer<typeof CompactResult>
export const ShareBody = z.strictObject({
  /** Days until the link stops working (default 7, at most 365). */
  expiresInDays: z.number().int().min(1).max(365).default(7),
})
export const Share = z.object({
  id: z.string(),
  sessionId: z.string(),
  /** Only in the answer that creates the share. */
  token: z.string().optional(),
  url: z.string().optional(),
  createdBy: z.string().nullable(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
})
export type Share = z.infer<typeof Share>

/** The export format; `version` is refused on import when it is newer than the server knows. */
export const sessionExportVersion = 1
export const SessionExport = z.object({
  format: z.literal("xionimus.session"),
  version: z.number().int().min(1),
  exportedAt: z.iso.datetime(),
  session: z.object({
    id: z.string(),
    title: z.string(),
    tags: z.array(z.string()),
    model: z.string().nullable(),
  }),
  events: z.array(
    z.object({
      id: z.string(),
      seq: z.number().int().min(1),
      type: z.string(),
      data: z.unknown(),
      time: z.iso.datetime(),
    }),
  ),
  /** sha256 of the reduced session state (see sessionStateHash); import recomputes and compares. */
  stateHash: z.string(),
})
export type SessionExport = z.infer<typeof SessionExport>

// ---- Event data (the session stream). Types are domain.noun.verb. ----

export const sessionEventTypes = [
  "session.created",
  "session.updated",
  "message.created",
  "turn.started",
  "assistant.started",
  "assistant.text",
  "assistant.reasoning",
  "assistant.finished",
  "tool.called",
  "tool.output",
  "tool.updated",
  "permission.asked",
  "permission.decided",
  "todo.updated",
  "checkpoint.recorded",
  "model.retried",
  "session.compacted",
  "session.reverted",
  "turn.paused",
  "turn.ended",
] as const
export type SessionEventType = (typeof sessionEventTypes)[number]

export const SessionCreatedData = z.object({
  projectId: z.string(),
  title: z.string(),
  model: z.string().nullable(),
  forkedFrom: z.object({ sessionId: z.string(), seq: z.number().int() }).nullable().default(null),
})
export const SessionUpdatedData = z.object({
  title: z.string().optional(),
  /** Set when the title was made from the first message, not typed. */
  automaticTitle: z.boolean().optional(),
  model: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  pinned: z.boolean().optional(),
  archived: z.boolean().optional(),
})
export const MessageCreatedData = z.object({
  messageId: z.string(),
  role: z.literal("user"),
  text: z.string(),
  /** Files of the project sent with it (workspace paths). */
  attachments: z.array(z.string()).optional(),
  /** Sent while a turn ran: it waits and starts the next turn. */
  queued: z.boolean().default(false),
  model: z.string().optional(),
  authorId: z.string().nullable().default(null),
})
export const TurnStartedData = z.object({
  turnId: z.string(),
  /** The user message the turn answers; absent for a resumed turn. */
  messageId: z.string().optional(),
  resumed: z.boolean().default(false),
  model: z.string(),
})
export const AssistantStartedData = z.object({ turnId: z.string(), messageId: z.string(), model: z.string() })
/** Text (or reasoning) as it streams: consecutive deltas are coalesced into one event per ~50 ms. */
export const AssistantDeltaData = z.object({ messageId: z.string(), text: z.string() })
export const AssistantFinishedData = z.object({
  messageId: z.string(),
  /** `interrupted`: the server stopped while the answer streamed (what arrived is kept). */
  reason: z.enum([
    "stop",
    "length",
    "tool-calls",
    "content-filter",
    "other",
    "error",
    "cancelled",
    "interrupted",
  ]),
  model: z.string(),
  usage: SessionUsage.optional(),
  error: ErrorData.optional(),
})
export const ToolCalledData = z.object({
  messageId: z.string(),
  callId: z.string(),
  tool: z.string(),
  input: z.unknown(),
})
export const ToolOutputData = z.object({ callId: z.string(), text: z.string() })
export const ToolUpdatedData = z.object({
  callId: z.string(),
  status: z.enum(["running", "completed", "error"]),
  title: z.string().optional(),
  /** What the model read (already truncated by the tool wrapper). */
  output: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
})
export const PermissionAskedData = PermissionRequest.extend({
  /** `tool`: the policy asked; `loop`: the same call three times in a row. */
  reason: z.enum(["tool", "loop"]).default("tool"),
})
export const PermissionDecidedData = z.object({
  requestId: z.string(),
  decision: PermissionDecision,
  decidedBy: z.string().nullable().default(null),
})
export const TodoUpdatedData = z.object({
  todos: z.array(z.object({ content: z.string(), status: z.string() })),
})
export const CheckpointRecordedData = z.object({
  checkpointId: z.string(),
  /** The user message whose turn it belongs to. */
  messageId: z.string(),
  /** The tool call that changed files; absent for the checkpoint taken when a turn starts. */
  callId: z.string().optional(),
  changed: z.boolean(),
})
export const ModelRetriedData = z.object({
  kind: z.enum(["retry", "fallback"]),
  model: z.string(),
  to: z.string().optional(),
  attempt: z.number().int().optional(),
  delayMs: z.number().int().optional(),
  error: z.object({ reason: z.string(), message: z.string() }),
})
export const SessionCompactedData = z.object({
  /** Events up to this seq are represented by `summary` in later prompts (the log keeps them). */
  throughSeq: z.number().int(),
  summary: z.string(),
  /** Tool calls whose output was pruned from the prompt. */
  prunedCallIds: z.array(z.string()),
  tokensBefore: z.number().int(),
  tokensAfter: z.number().int(),
})
export const SessionRevertedData = z.object({
  /** The message gone back to (it and what follows are undone), or the revert being undone. */
  messageId: z.string().optional(),
  undoes: z.string().optional(),
  mode: RewindMode,
  /** Events with seq in [fromSeq, toSeq] are hidden from the chat (mode includes chat). */
  fromSeq: z.number().int(),
  toSeq: z.number().int(),
  /** The checkpoint restored, and the one holding the state before (to undo the rewind). */
  restored: z.string().optional(),
  before: z.string().optional(),
})
export const TurnPausedData = z.object({
  turnId: z.string(),
  reason: z.enum(["permission", "loop", "budget"]),
  message: z.string(),
})
export const TurnEndedData = z.object({
  turnId: z.string(),
  outcome: z.enum(["completed", "cancelled", "failed", "interrupted", "budget", "limit"]),
  message: z.string().optional(),
  error: ErrorData.optional(),
  usage: SessionUsage.optional(),
})

export const SessionPermissionBody = z.strictObject({
  requestId: z.string().min(1).max(64),
  decision: PermissionDecision,
})
export const SessionSettings = z.object({ mode: PermissionMode })
