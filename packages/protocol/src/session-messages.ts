import type { z } from "zod"
import type { AssistantDeltaData, SessionUsage } from "./session.ts"
import type {
  SessionMessage,
  SessionRevert,
  SessionState,
  ToolPart,
  UserMessage,
} from "./session-state-types.ts"

// The message-list operations of the session reducer (session-state.ts).

const interruptedCall = { code: "TOOL_ABORTED", message: "The call was interrupted before it finished." }

/**
 * While reduceSession folds a whole log, the message lists are its own (copied once at the start) and
 * nobody sees the states in between: messages are replaced and added in place instead of copying both
 * lists for every event (which made folding a long session quadratic).
 */
let foldingInPlace = false

/** Runs a whole fold with in-place list updates (the lists must be the fold's own copies). */
export function foldInPlace<T>(fold: () => T): T {
  foldingInPlace = true
  try {
    return fold()
  } finally {
    foldingInPlace = false
  }
}

/** Whether a message is hidden by an active (not undone) rewind whose mode includes the chat. */
export function hiddenBy(reverts: readonly SessionRevert[], seq: number): boolean {
  return reverts.some(
    (revert) => !revert.undone && revert.mode !== "code" && seq >= revert.fromSeq && seq <= revert.toSeq,
  )
}

export function visible(all: readonly SessionMessage[], reverts: readonly SessionRevert[]): SessionMessage[] {
  if (!reverts.some((revert) => !revert.undone && revert.mode !== "code")) return [...all]
  return all.filter((message) => !hiddenBy(reverts, message.seq))
}

/** Replaces one message (found by id, searching from the newest) in both lists. */
export function updateMessage(
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

export function findLast<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let index = items.length - 1; index >= 0; index--) if (test(items[index]!)) return index
  return -1
}

export function addMessage(state: SessionState, message: SessionMessage): SessionState {
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

export function appendDelta(
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
export function messageOfCall(state: SessionState, callId: string): string | undefined {
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

export function updateToolPart(
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

export function addUsage(total: SessionUsage, usage: SessionUsage | undefined): SessionUsage {
  if (!usage) return total
  return {
    inputTokens: total.inputTokens + (usage.inputTokens ?? 0),
    outputTokens: total.outputTokens + (usage.outputTokens ?? 0),
    cachedInputTokens: total.cachedInputTokens + (usage.cachedInputTokens ?? 0),
    costUsd: total.costUsd + (usage.costUsd ?? 0),
  }
}

/** A turn that ended leaves no call pending or running: those were interrupted. */
export function settleTurn(state: SessionState, turnId: string): SessionState {
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

export function setQueued(state: SessionState, ids: string[]): SessionState {
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
export function moveToTurn(state: SessionState, messageId: string, seq: number): SessionState {
  const message = state.allMessages.find((candidate) => candidate.id === messageId)
  if (message?.role !== "user") return state
  const moved: UserMessage = { ...message, seq, queuedSeq: message.seq, queued: false }
  const others = (list: SessionMessage[]) => list.filter((candidate) => candidate.id !== messageId)
  return addMessage(
    { ...state, allMessages: others(state.allMessages), messages: others(state.messages) },
    moved,
  )
}
