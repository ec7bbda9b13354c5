import type { z } from "zod"
import type {
  AssistantFinishedData,
  PermissionAskedData,
  RewindMode,
  SessionCompactedData,
  SessionRunState,
  SessionUsage,
  TodoUpdatedData,
  TurnEndedData,
} from "./session.ts"

/** The state `reduceSession` folds a session's log into (session-state.ts). */

export interface UserMessage {
  role: "user"
  id: string
  /**
   * Where the message sits in the chat: its `message.created`, or for a message that was queued, the
   * `turn.started` of its turn (it moves below the answer that was running when it was sent).
   */
  seq: number
  /** The seq of its `message.created` when it was sent while a turn ran. */
  queuedSeq?: number
  text: string
  /** Files of the project sent with it (workspace paths), when there were any. */
  attachments?: string[]
  /** Still waiting for the running turn to end. */
  queued: boolean
  authorId: string | null
  model?: string
  time: string
}

export type ToolPartStatus = "pending" | "running" | "completed" | "error"

export type AssistantPart =
  | { type: "text"; text: string }
  | { type: "reasoning"; text: string }
  | {
      type: "tool"
      callId: string
      tool: string
      input: unknown
      status: ToolPartStatus
      title?: string
      output?: string
      error?: { code: string; message: string }
      metadata?: Record<string, unknown>
      /** Live output as it streamed (the tail, at most liveOutputLimit characters). */
      liveOutput: string
    }
export type ToolPart = Extract<AssistantPart, { type: "tool" }>

export interface AssistantMessage {
  role: "assistant"
  id: string
  seq: number
  turnId: string
  model: string
  parts: AssistantPart[]
  finish?: {
    reason: z.infer<typeof AssistantFinishedData>["reason"]
    usage?: SessionUsage
    error?: { code: string; message: string }
  }
  time: string
}

export type SessionMessage = UserMessage | AssistantMessage

export interface SessionRevert {
  eventId: string
  seq: number
  messageId?: string
  mode: RewindMode
  fromSeq: number
  toSeq: number
  restored?: string
  before?: string
  /** A later `session.reverted` with `undoes` took it back. */
  undone: boolean
}

export interface SessionCheckpoint {
  seq: number
  messageId: string
  callId?: string
  checkpointId: string
  changed: boolean
}

export type TurnOutcomeName = z.infer<typeof TurnEndedData>["outcome"]

export interface SessionState {
  id: string
  projectId: string
  title: string
  /** The title was made from the first message (a typed title replaces it). */
  automaticTitle: boolean
  model: string | null
  tags: string[]
  pinned: boolean
  archived: boolean
  forkedFrom: { sessionId: string; seq: number } | null
  runState: SessionRunState
  /** The chat as shown: messages in ranges hidden by an active chat rewind are left out. */
  messages: SessionMessage[]
  /** Every message, hidden ones included (undoing a rewind shows them again). */
  allMessages: SessionMessage[]
  todos: z.infer<typeof TodoUpdatedData>["todos"]
  usage: SessionUsage
  openPermission: z.infer<typeof PermissionAskedData> | null
  /** Ids of user messages waiting for the running turn to end, oldest first. */
  queued: string[]
  compaction: (z.infer<typeof SessionCompactedData> & { seq: number }) | null
  reverts: SessionRevert[]
  checkpoints: SessionCheckpoint[]
  /** The turn running now, or the last one that ran. */
  lastTurn: {
    turnId: string
    messageId?: string
    resumed: boolean
    outcome?: TurnOutcomeName
    message?: string
    error?: { code: string; message: string }
  } | null
  /** The last seq folded in. */
  head: number
}

/** Live output kept per tool part; the tool's final output is what the model reads. */
export const liveOutputLimit = 100_000

export function emptySessionState(id = ""): SessionState {
  return {
    id,
    projectId: "",
    title: "",
    automaticTitle: false,
    model: null,
    tags: [],
    pinned: false,
    archived: false,
    forkedFrom: null,
    runState: "idle",
    messages: [],
    allMessages: [],
    todos: [],
    usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0 },
    openPermission: null,
    queued: [],
    compaction: null,
    reverts: [],
    checkpoints: [],
    lastTurn: null,
    head: 0,
  }
}
