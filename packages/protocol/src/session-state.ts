import type { z } from "zod"
import type { StoredEvent } from "./event.ts"
import type {
  AssistantDeltaData,
  AssistantFinishedData,
  AssistantStartedData,
  CheckpointRecordedData,
  MessageCreatedData,
  PermissionAskedData,
  PermissionDecidedData,
  RewindMode,
  SessionCompactedData,
  SessionCreatedData,
  SessionRevertedData,
  SessionRunState,
  SessionUpdatedData,
  SessionUsage,
  TodoUpdatedData,
  ToolCalledData,
  ToolOutputData,
  ToolUpdatedData,
  TurnEndedData,
  TurnStartedData,
} from "./session.ts"

/**
 * A session as its event log says it is: the one reducer that the agent (history, resume), the
 * server (exports) and the browser (chat view) fold the same events with. Pure and browser-safe.
 * Unknown event types are ignored, so an older reader can fold a newer log.
 */

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

const interruptedCall = { code: "TOOL_ABORTED", message: "The call was interrupted before it finished." }

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

/**
 * While reduceSession folds a whole log, the message lists are its own (copied once at the start) and
 * nobody sees the states in between: messages are replaced and added in place instead of copying both
 * lists for every event (which made folding a long session quadratic).
 */
let foldingInPlace = false

/** Folds a log (in seq order) into the session's state. */
export function reduceSession(events: readonly StoredEvent[], initial?: SessionState): SessionState {
  const start = initial ?? emptySessionState(events[0]?.stream ?? "")
  let state: SessionState = { ...start, allMessages: [...start.allMessages], messages: [...start.messages] }
  foldingInPlace = true
  try {
    for (const event of events) state = applySessionEvent(state, event)
  } finally {
    foldingInPlace = false
  }
  // The caller gets lists no later live event will change in place.
  return state
}

/** Whether a message is hidden by an active (not undone) rewind whose mode includes the chat. */
function hiddenBy(reverts: readonly SessionRevert[], seq: number): boolean {
  return reverts.some(
    (revert) => !revert.undone && revert.mode !== "code" && seq >= revert.fromSeq && seq <= revert.toSeq,
  )
}

function visible(all: readonly SessionMessage[], reverts: readonly SessionRevert[]): SessionMessage[] {
  if (!reverts.some((revert) => !revert.undone && revert.mode !== "code")) return [...all]
  return all.filter((message) => !hiddenBy(reverts, message.seq))
}

/** Replaces one message (found by id, searching from the newest) in both lists. */
function updateMessage(
  state: SessionState,
  id: string,
  change: (message: SessionMessage) => SessionMessage,
): SessionState {
  const at = findLast(state.allMessages, (message) => message.id === id)
  if (at < 0) return state
  const next = change(state.allMessages[at]!)
  const allMessages = foldingInPlace ? state.allMessages : state.allMessages.slice()
  allMessages[at] = next
  const shown = findLast(state.messages, (message) => message.id === id)
  if (shown < 0) return { ...state, allMessages }
  const messages = foldingInPlace ? state.messages : state.messages.slice()
  messages[shown] = next
  return { ...state, allMessages, messages }
}

function findLast<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index--) if (test(items[index]!)) return index
  return -1
}

function addMessage(state: SessionState, message: SessionMessage): SessionState {
  const hidden = hiddenBy(state.reverts, message.seq)
  if (foldingInPlace) {
    state.allMessages.push(message)
    if (!hidden) state.messages.push(message)
    return { ...state }
  }
  const allMessages = [...state.allMessages, message]
  const messages = hidden ? state.messages : [...state.messages, message]
  return { ...state, allMessages, messages }
}

function appendDelta(
  state: SessionState,
  data: z.infer<typeof AssistantDeltaData>,
  kind: "text" | "reasoning",
) {
  if (typeof data?.text !== "string") return state
  return updateMessage(state, data.messageId, (message) => {
    if (message.role !== "assistant") return message
    const last = message.parts.at(-1)
    const parts = message.parts.slice()
    if (last?.type === kind) parts[parts.length - 1] = { type: kind, text: last.text + data.text }
    else parts.push({ type: kind, text: data.text })
    return { ...message, parts }
  })
}

/** The assistant message holding a tool call, searched from the newest. */
function messageOfCall(state: SessionState, callId: string): string | undefined {
  for (let index = state.allMessages.length - 1; index >= 0; index--) {
    const message = state.allMessages[index]!
    if (
      message.role === "assistant" &&
      message.parts.some((part) => part.type === "tool" && part.callId === callId)
    )
      return message.id
  }
  return undefined
}

function updateToolPart(
  state: SessionState,
  callId: string,
  change: (part: ToolPart) => ToolPart,
): SessionState {
  const messageId = messageOfCall(state, callId)
  if (!messageId) return state
  return updateMessage(state, messageId, (message) => {
    if (message.role !== "assistant") return message
    return {
      ...message,
      parts: message.parts.map((part) =>
        part.type === "tool" && part.callId === callId ? change(part) : part,
      ),
    }
  })
}

function addUsage(total: SessionUsage, usage: SessionUsage | undefined): SessionUsage {
  if (!usage) return total
  return {
    inputTokens: total.inputTokens + (usage.inputTokens ?? 0),
    outputTokens: total.outputTokens + (usage.outputTokens ?? 0),
    cachedInputTokens: total.cachedInputTokens + (usage.cachedInputTokens ?? 0),
    costUsd: total.costUsd + (usage.costUsd ?? 0),
  }
}

/** A turn that ended leaves no call pending or running: those were interrupted. */
function settleTurn(state: SessionState, turnId: string): SessionState {
  let next = state
  for (const message of state.allMessages) {
    if (message.role !== "assistant" || message.turnId !== turnId) continue
    if (
      !message.parts.some(
        (part) => part.type === "tool" && (part.status === "pending" || part.status === "running"),
      )
    )
      continue
    next = updateMessage(next, message.id, (current) =>
      current.role !== "assistant"
        ? current
        : {
            ...current,
            parts: current.parts.map((part) =>
              part.type === "tool" && (part.status === "pending" || part.status === "running")
                ? { ...part, status: "error", error: interruptedCall }
                : part,
            ),
          },
    )
  }
  return next
}

function setQueued(state: SessionState, ids: string[]): SessionState {
  const waiting = new Set(ids)
  let next: SessionState = { ...state, queued: ids }
  for (const id of state.queued) {
    if (waiting.has(id)) continue
    next = updateMessage(next, id, (message) =>
      message.role === "user" ? { ...message, queued: false } : message,
    )
  }
  return next
}

/** A queued message whose turn starts moves to the end of the chat, at its turn's seq. */
function moveToTurn(state: SessionState, messageId: string, seq: number): SessionState {
  const message = state.allMessages.find((candidate) => candidate.id === messageId)
  if (message?.role !== "user") return state
  const moved: UserMessage = { ...message, seq, queuedSeq: message.seq, queued: false }
  const others = (list: SessionMessage[]) => list.filter((candidate) => candidate.id !== messageId)
  return addMessage(
    { ...state, allMessages: others(state.allMessages), messages: others(state.messages) },
    moved,
  )
}

/** Folds one event into the state (returns a new state; the old one is not changed). */
export function applySessionEvent(state: SessionState, event: StoredEvent): SessionState {
  const next = applyData(state, event)
  return { ...next, id: next.id || event.stream, head: Math.max(next.head, event.seq) }
}

function applyData(state: SessionState, event: StoredEvent): SessionState {
  // biome-ignore lint/suspicious/noExplicitAny: event data is read by its type below; shapes are guarded
  const data = (event.data ?? {}) as any
  switch (event.type) {
    case "session.created": {
      const created = data as z.infer<typeof SessionCreatedData>
      return {
        ...state,
        id: event.stream,
        projectId: created.projectId ?? state.projectId,
        title: created.title ?? state.title,
        model: created.model ?? null,
        forkedFrom: created.forkedFrom ?? null,
      }
    }
    case "session.updated": {
      const patch = data as z.infer<typeof SessionUpdatedData>
      return {
        ...state,
        ...(patch.title !== undefined
          ? { title: patch.title, automaticTitle: patch.automaticTitle === true }
          : {}),
        ...(patch.model !== undefined ? { model: patch.model } : {}),
        ...(patch.tags !== undefined ? { tags: [...patch.tags] } : {}),
        ...(patch.pinned !== undefined ? { pinned: patch.pinned } : {}),
        ...(patch.archived !== undefined ? { archived: patch.archived } : {}),
      }
    }
    case "message.created": {
      const created = data as z.infer<typeof MessageCreatedData>
      if (typeof created.messageId !== "string") return state
      const queued = created.queued === true
      const next = addMessage(state, {
        role: "user",
        id: created.messageId,
        seq: event.seq,
        text: created.text ?? "",
        ...(Array.isArray(created.attachments) && created.attachments.length > 0
          ? { attachments: created.attachments.filter((path) => typeof path === "string") }
          : {}),
        queued,
        authorId: created.authorId ?? null,
        ...(created.model ? { model: created.model } : {}),
        time: event.time,
      })
      return queued ? { ...next, queued: [...next.queued, created.messageId] } : next
    }
    case "turn.started": {
      const started = data as z.infer<typeof TurnStartedData>
      let next = state
      if (started.messageId && state.queued.includes(started.messageId)) {
        const waiting = state.queued.filter((id) => id !== started.messageId)
        next = moveToTurn(setQueued(state, waiting), started.messageId, event.seq)
      }
      return {
        ...next,
        runState: "running",
        lastTurn: {
          turnId: started.turnId,
          ...(started.messageId ? { messageId: started.messageId } : {}),
          resumed: started.resumed === true,
        },
      }
    }
    case "assistant.started": {
      const started = data as z.infer<typeof AssistantStartedData>
      if (typeof started.messageId !== "string") return state
      return addMessage(state, {
        role: "assistant",
        id: started.messageId,
        seq: event.seq,
        turnId: started.turnId,
        model: started.model,
        parts: [],
        time: event.time,
      })
    }
    case "assistant.text":
      return appendDelta(state, data, "text")
    case "assistant.reasoning":
      return appendDelta(state, data, "reasoning")
    case "assistant.finished": {
      const finished = data as z.infer<typeof AssistantFinishedData>
      const next = updateMessage(state, finished.messageId, (message) =>
        message.role !== "assistant"
          ? message
          : {
              ...message,
              finish: {
                reason: finished.reason,
                ...(finished.usage ? { usage: finished.usage } : {}),
                ...(finished.error
                  ? { error: { code: finished.error.code, message: finished.error.message } }
                  : {}),
              },
            },
      )
      return { ...next, usage: addUsage(next.usage, finished.usage) }
    }
    case "tool.called": {
      const called = data as z.infer<typeof ToolCalledData>
      return updateMessage(state, called.messageId, (message) =>
        message.role !== "assistant"
          ? message
          : {
              ...message,
              parts: [
                ...message.parts,
                {
                  type: "tool",
                  callId: called.callId,
                  tool: called.tool,
                  input: called.input,
                  status: "pending",
                  liveOutput: "",
                },
              ],
            },
      )
    }
    case "tool.output": {
      const output = data as z.infer<typeof ToolOutputData>
      if (typeof output.text !== "string") return state
      return updateToolPart(state, output.callId, (part) => {
        const liveOutput = part.liveOutput + output.text
        return {
          ...part,
          liveOutput: liveOutput.length > liveOutputLimit ? liveOutput.slice(-liveOutputLimit) : liveOutput,
        }
      })
    }
    case "tool.updated": {
      const updated = data as z.infer<typeof ToolUpdatedData>
      return updateToolPart(state, updated.callId, (part) => ({
        ...part,
        status: updated.status,
        ...(updated.title !== undefined ? { title: updated.title } : {}),
        ...(updated.output !== undefined ? { output: updated.output } : {}),
        ...(updated.error !== undefined ? { error: updated.error } : {}),
        ...(updated.metadata !== undefined ? { metadata: updated.metadata } : {}),
      }))
    }
    case "permission.asked": {
      const asked = data as z.infer<typeof PermissionAskedData>
      return { ...state, openPermission: { ...asked, reason: asked.reason ?? "tool" }, runState: "paused" }
    }
    case "permission.decided": {
      const decided = data as z.infer<typeof PermissionDecidedData>
      if (state.openPermission?.id !== decided.requestId) return state
      return {
        ...state,
        openPermission: null,
        runState: state.runState === "paused" ? "running" : state.runState,
      }
    }
    case "todo.updated": {
      const todos = data as z.infer<typeof TodoUpdatedData>
      return Array.isArray(todos.todos)
        ? { ...state, todos: todos.todos.map((item) => ({ ...item })) }
        : state
    }
    case "checkpoint.recorded": {
      const recorded = data as z.infer<typeof CheckpointRecordedData>
      return {
        ...state,
        checkpoints: [
          ...state.checkpoints,
          {
            seq: event.seq,
            messageId: recorded.messageId,
            ...(recorded.callId ? { callId: recorded.callId } : {}),
            checkpointId: recorded.checkpointId,
            changed: recorded.changed === true,
          },
        ],
      }
    }
    case "session.compacted": {
      const compacted = data as z.infer<typeof SessionCompactedData>
      return { ...state, compaction: { ...compacted, seq: event.seq } }
    }
    case "session.reverted": {
      const reverted = data as z.infer<typeof SessionRevertedData>
      let reverts: SessionRevert[]
      if (reverted.undoes) {
        reverts = state.reverts.map((revert) =>
          revert.eventId === reverted.undoes ? { ...revert, undone: true } : revert,
        )
      } else {
        reverts = [
          ...state.reverts,
          {
            eventId: event.id,
            seq: event.seq,
            ...(reverted.messageId ? { messageId: reverted.messageId } : {}),
            mode: reverted.mode,
            fromSeq: reverted.fromSeq,
            toSeq: reverted.toSeq,
            ...(reverted.restored ? { restored: reverted.restored } : {}),
            ...(reverted.before ? { before: reverted.before } : {}),
            undone: false,
          },
        ]
      }
      return { ...state, reverts, messages: visible(state.allMessages, reverts) }
    }
    case "turn.paused":
      return { ...state, runState: "paused" }
    case "turn.ended": {
      const ended = data as z.infer<typeof TurnEndedData>
      let next = settleTurn(state, ended.turnId)
      // A cancel drops the turns of queued messages (they stay in the chat, unanswered).
      if (ended.outcome === "cancelled") next = setQueued(next, [])
      const runState: SessionRunState =
        ended.outcome === "interrupted" ? "interrupted" : ended.outcome === "budget" ? "paused" : "idle"
      return {
        ...next,
        runState,
        openPermission: null,
        lastTurn: {
          turnId: ended.turnId,
          ...(next.lastTurn?.turnId === ended.turnId && next.lastTurn.messageId
            ? { messageId: next.lastTurn.messageId }
            : {}),
          resumed: next.lastTurn?.turnId === ended.turnId ? next.lastTurn.resumed : false,
          outcome: ended.outcome,
          ...(ended.message ? { message: ended.message } : {}),
          ...(ended.error ? { error: { code: ended.error.code, message: ended.error.message } } : {}),
        },
      }
    }
    default:
      return state
  }
}
