import type { z } from "zod"
import type { StoredEvent } from "./event.ts"
import type {
  AssistantFinishedData,
  AssistantStartedData,
  CheckpointRecordedData,
  MessageCreatedData,
  PermissionAskedData,
  PermissionDecidedData,
  SessionCompactedData,
  SessionCreatedData,
  SessionRevertedData,
  SessionRunState,
  SessionUpdatedData,
  TodoUpdatedData,
  ToolCalledData,
  ToolOutputData,
  ToolUpdatedData,
  TurnEndedData,
  TurnStartedData,
} from "./session.ts"

import {
  addMessage,
  addUsage,
  appendDelta,
  foldInPlace,
  moveToTurn,
  setQueued,
  settleTurn,
  updateMessage,
  updateToolPart,
  visible,
} from "./session-messages.ts"
import {
  emptySessionState,
  liveOutputLimit,
  type SessionRevert,
  type SessionState,
} from "./session-state-types.ts"

/**
 * A session as its event log says it is: the one reducer that the agent (history, resume), the
 * server (exports) and the browser (chat view) fold the same events with. Pure and browser-safe.
 * Unknown event types are ignored, so an older reader can fold a newer log.
 */

/** Folds a log (in seq order) into the session's state. */
export function reduceSession(events: readonly StoredEvent[], initial?: SessionState): SessionState {
  const start = initial ?? emptySessionState(events[0]?.stream ?? "")
  let state: SessionState = { ...start, allMessages: [...start.allMessages], messages: [...start.messages] }
  foldInPlace(() => {
    for (const event of events) state = applySessionEvent(state, event)
  })
  // The caller gets lists no later live event will change in place.
  return state
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
