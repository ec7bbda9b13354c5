import { AppError, newId } from "@xionimus/kit"
import {
  type RewindMode,
  reduceSession,
  type SessionRevertedData,
  type StoredEvent,
} from "@xionimus/protocol"
import type { Checkpoints } from "@xionimus/tools"
import type { z } from "zod"
import { refuseWhileOtherTurnsRun } from "./project-busy.ts"
import { messageSeq, type OperationDeps, readLog, requireSession } from "./session-log.ts"
import type { RewindPreview, SessionOperations } from "./types.ts"

type RevertData = z.infer<typeof SessionRevertedData>
type RewindMethods = Pick<SessionOperations, "rewindPreview" | "rewind" | "undoRewind">

const includesCode = (mode: RewindMode) => mode !== "chat"
const includesChat = (mode: RewindMode) => mode !== "code"

/**
 * The checkpoint recorded when the message's turn started (the first one without a call id): the
 * files as they were before the message changed anything. Undefined when its turn never started.
 */
export function checkpointBefore(events: readonly StoredEvent[], messageId: string): string | undefined {
  for (const event of events) {
    if (event.type !== "checkpoint.recorded") continue
    const data = event.data as { messageId?: string; callId?: string; checkpointId?: string }
    if (data.messageId === messageId && data.callId === undefined && data.checkpointId)
      return data.checkpointId
  }
  return undefined
}

/**
 * Where the message sits in the chat (what a chat rewind hides from): its `message.created`, or for
 * a message sent while a turn ran, its own turn's start (the reducer moves it there).
 */
function chatSeq(events: readonly StoredEvent[], messageId: string): number {
  const created = messageSeq(events, messageId)
  const message = reduceSession(events).allMessages.find(
    (candidate) => candidate.role === "user" && candidate.id === messageId,
  )
  return message?.seq ?? created
}

/** Whether files changed (a checkpoint with changes) at or after `seq`. */
function filesChangedSince(events: readonly StoredEvent[], seq: number): boolean {
  return events.some(
    (event) =>
      event.seq >= seq &&
      event.type === "checkpoint.recorded" &&
      (event.data as { changed?: boolean }).changed === true,
  )
}

export function createRewind(
  deps: OperationDeps,
  hooks: { isRunning(sessionId: string): boolean },
): RewindMethods {
  function refuseWhileRunning(sessionId: string): void {
    if (hooks.isRunning(sessionId))
      throw new AppError(
        "TURN_RUNNING",
        "A turn of this session is running; cancel it or wait until it ends, then rewind.",
      )
  }

  async function checkpointsOf(projectId: string): Promise<Checkpoints> {
    const runtime = await deps.runtimeFor(projectId)
    if (!runtime.checkpoints)
      throw new AppError(
        "CHECKPOINT_NOT_FOUND",
        "This project keeps no checkpoints, so its files cannot be rewound. Rewind the chat only.",
      )
    return runtime.checkpoints
  }

  /** Where a rewind to the message goes: the message's seq and the checkpoint to restore (if any). */
  function planOf(events: readonly StoredEvent[], messageId: string, mode: RewindMode) {
    const fromSeq = chatSeq(events, messageId)
    const target = checkpointBefore(events, messageId)
    if (includesCode(mode) && target === undefined && filesChangedSince(events, fromSeq))
      throw new AppError(
        "CHECKPOINT_NOT_FOUND",
        "No checkpoint was recorded when this message's turn started, so the files cannot be put back to that point. Rewind the chat only.",
        { messageId },
      )
    return { fromSeq, target }
  }

  return {
    async rewindPreview(sessionId, messageId, mode): Promise<RewindPreview> {
      // Refused like the rewind itself; also, the snapshot below would swallow a running tool's checkpoint.
      refuseWhileRunning(sessionId)
      const record = await requireSession(deps, sessionId)
      const events = await readLog(deps, sessionId)
      const { fromSeq, target } = planOf(events, messageId, mode)
      const head = events.at(-1)?.seq ?? 0
      const preview: RewindPreview = {
        mode,
        diff: "",
        files: [],
        hiddenEvents: includesChat(mode) ? head - fromSeq + 1 : 0,
      }
      if (!includesCode(mode) || target === undefined) return preview
      const checkpoints = await checkpointsOf(record.projectId)
      // Snapshot now (no commit when nothing changed) so that the diff reads from now to the target.
      const now = await checkpoints.record({ message: "rewind preview", meta: { sessionId } })
      const diff = await checkpoints.diff(now.id, target)
      return {
        ...preview,
        diff: diff.patch,
        files: diff.files.map((file) => ({
          path: file.path,
          change: file.change === "type-changed" ? "modified" : file.change,
        })),
      }
    },

    async rewind(sessionId, messageId, mode) {
      refuseWhileRunning(sessionId)
      const record = await requireSession(deps, sessionId)
      const events = await readLog(deps, sessionId)
      const { fromSeq, target } = planOf(events, messageId, mode)
      const toSeq = events.at(-1)?.seq ?? 0
      let restore: { restored?: string; before?: string } = {}
      if (includesCode(mode) && target !== undefined) {
        const checkpoints = await checkpointsOf(record.projectId)
        await refuseWhileOtherTurnsRun(deps.sessions, record.projectId, sessionId, "rewind")
        const { before } = await checkpoints.restore(target)
        restore = { restored: target, before }
      }
      const data: RevertData = { messageId, mode, fromSeq, toSeq, ...restore }
      const [stored] = await deps.bus.append(sessionId, [
        { id: newId("evt"), type: "session.reverted", data },
      ])
      return stored as StoredEvent
    },

    async undoRewind(sessionId, revertEventId) {
      refuseWhileRunning(sessionId)
      const record = await requireSession(deps, sessionId)
      const events = await readLog(deps, sessionId)
      const state = reduceSession(events)
      const revert = state.reverts.find((candidate) => candidate.eventId === revertEventId)
      if (!revert || revert.undone)
        throw new AppError(
          "REWIND_NOT_FOUND",
          "The session has no rewind with this id that can be undone (it is unknown or undone already).",
          { eventId: revertEventId },
        )
      const later = state.reverts.find((candidate) => candidate.seq > revert.seq && !candidate.undone)
      if (later)
        throw new AppError("VALIDATION_FAILED", "A later rewind is still in place; undo that one first.", [
          { path: ["eventId"], message: `undo ${later.eventId} first` },
        ])
      let restore: { restored?: string; before?: string } = {}
      if (revert.before !== undefined) {
        const checkpoints = await checkpointsOf(record.projectId)
        await refuseWhileOtherTurnsRun(deps.sessions, record.projectId, sessionId, "undo the rewind")
        const { before } = await checkpoints.restore(revert.before)
        restore = { restored: revert.before, before }
      }
      const data: RevertData = {
        undoes: revertEventId,
        ...(revert.messageId ? { messageId: revert.messageId } : {}),
        mode: revert.mode,
        fromSeq: revert.fromSeq,
        toSeq: revert.toSeq,
        ...restore,
      }
      const [stored] = await deps.bus.append(sessionId, [
        { id: newId("evt"), type: "session.reverted", data },
      ])
      return stored as StoredEvent
    },
  }
}
