import { AppError, newId } from "@xionimus/kit"
import { type NewEvent, reduceSession, type Session, type StoredEvent } from "@xionimus/protocol"
import { refuseWhileOtherTurnsRun } from "./project-busy.ts"
import { checkpointBefore } from "./rewind.ts"
import {
  appendAll,
  messageSeq,
  type OperationDeps,
  readLog,
  requireSession,
  searchableText,
  withHead,
} from "./session-log.ts"
import type { SessionOperations } from "./types.ts"

export const interruptedByFork = "The session was forked while this turn ran; resume it to continue here."

/**
 * The last seq of the message's turn: its last `turn.ended` (a resumed turn continues it) before a
 * turn for another message starts; the head when that turn is still open; the message itself when
 * its turn never started.
 */
export function endOfTurn(events: readonly StoredEvent[], messageId: string): number {
  const from = messageSeq(events, messageId)
  let end = from
  let inTurn = false
  for (const event of events) {
    if (event.seq <= from) continue
    const data = (event.data ?? {}) as { messageId?: string }
    if (event.type === "turn.started") {
      if (data.messageId !== undefined && data.messageId !== messageId) {
        if (inTurn || end > from) break
        continue
      }
      inTurn = true
    }
    if (inTurn) end = event.seq
    if (event.type === "turn.ended") inTurn = false
  }
  return end
}

/**
 * The copied events: the source's up to `cut`, without its `session.created` (the fork writes its
 * own) and without messages of later turns that were queued during this one. Dropping those shifts
 * later seqs, so the seqs that events name (rewind ranges, compaction) are mapped to the fork's.
 */
function copiedEvents(events: readonly StoredEvent[], cut: number, messageId: string | undefined) {
  const from = messageId === undefined ? 0 : messageSeq(events, messageId)
  const kept = events.filter((event) => {
    if (event.seq > cut || event.type === "session.created") return false
    if (messageId === undefined || event.type !== "message.created" || event.seq <= from) return true
    return false
  })
  // The fork's seqs: 1 is its own session.created, the copies follow in order.
  const newSeq = new Map<number, number>()
  for (const [index, event] of kept.entries()) newSeq.set(event.seq, index + 2)
  const firstAtOrAfter = (seq: number) => {
    for (const event of kept) if (event.seq >= seq) return newSeq.get(event.seq) as number
    return kept.length + 2
  }
  const lastAtOrBefore = (seq: number) => {
    let result = 1
    for (const event of kept) if (event.seq <= seq) result = newSeq.get(event.seq) as number
    return result
  }
  const copies: NewEvent[] = kept.map((event) => {
    const data = event.data as Record<string, unknown>
    if (event.type === "session.reverted")
      return {
        id: event.id,
        type: event.type,
        data: {
          ...data,
          fromSeq: firstAtOrAfter(Number(data.fromSeq)),
          toSeq: lastAtOrBefore(Number(data.toSeq)),
        },
      }
    if (event.type === "session.compacted")
      return {
        id: event.id,
        type: event.type,
        data: { ...data, throughSeq: lastAtOrBefore(Number(data.throughSeq)) },
      }
    return { id: event.id, type: event.type, data: event.data }
  })
  return copies
}

/** The checkpoint that holds the files as they were at `cut`: the last one recorded at or before it. */
function checkpointAt(
  events: readonly StoredEvent[],
  cut: number,
  messageId: string | undefined,
): string | undefined {
  let found: string | undefined
  for (const event of events) {
    if (event.seq > cut) break
    if (event.type === "checkpoint.recorded") found = (event.data as { checkpointId?: string }).checkpointId
  }
  // A message whose turn never changed anything: the files as they were when it started.
  return found ?? (messageId === undefined ? undefined : checkpointBefore(events, messageId))
}

/**
 * Forks a session: a new session of the same project whose log holds the events up to the end of
 * the message's turn (or the whole log). Sessions of one project share its workspace, so the fork
 * puts the workspace back to the checkpoint at that point and notes it in its log as a code rewind
 * (`session.reverted` with mode code, its `before` the workspace as it was), which can be undone.
 */
export function createFork(
  deps: OperationDeps,
  hooks: { isRunning(sessionId: string): boolean },
): Pick<SessionOperations, "fork"> {
  return {
    async fork(sessionId, input): Promise<Session> {
      const source = await requireSession(deps, sessionId)
      const events = await readLog(deps, sessionId)
      const head = events.at(-1)?.seq ?? 0
      const cut = input.messageId === undefined ? head : endOfTurn(events, input.messageId)
      const target = checkpointAt(events, cut, input.messageId)
      const runtime = target === undefined ? undefined : await deps.runtimeFor(source.projectId)
      if (target !== undefined && runtime?.checkpoints && hooks.isRunning(sessionId))
        throw new AppError(
          "TURN_RUNNING",
          "A turn of this session is running and changing the project's files; cancel it or wait until it ends, then fork.",
        )
      if (target !== undefined && runtime?.checkpoints)
        await refuseWhileOtherTurnsRun(deps.sessions, source.projectId, sessionId, "fork")
      const id = newId("ses")
      const title = input.title ?? `${source.title} (fork)`
      const forkedFrom = { sessionId, seq: cut }
      const created = await deps.sessions.create({
        id,
        projectId: source.projectId,
        title,
        model: source.model,
        tags: source.tags,
        createdBy: input.createdBy,
        forkedFrom,
      })
      const copies: NewEvent[] = [
        {
          id: newId("evt"),
          type: "session.created",
          data: { projectId: source.projectId, title, model: source.model, forkedFrom },
        },
        ...copiedEvents(events, cut, input.messageId),
      ]
      const stored = await appendAll(deps, id, copies)
      const state = reduceSession(stored)
      const fixes: NewEvent[] = []
      if (state.title !== title)
        fixes.push({ id: newId("evt"), type: "session.updated", data: { title, automaticTitle: false } })
      const openTurn = state.lastTurn && state.lastTurn.outcome === undefined ? state.lastTurn : undefined
      if (openTurn)
        fixes.push({
          id: newId("evt"),
          type: "turn.ended",
          data: { turnId: openTurn.turnId, outcome: "interrupted", message: interruptedByFork },
        })
      if (target !== undefined && runtime?.checkpoints) {
        const { before } = await runtime.checkpoints.restore(target)
        const at = stored.at(-1)?.seq ?? 1
        fixes.push({
          id: newId("evt"),
          type: "session.reverted",
          data: { mode: "code", fromSeq: at, toSeq: at, restored: target, before },
        })
      }
      await appendAll(deps, id, fixes)
      if (openTurn) await deps.sessions.setRunState(id, "interrupted")
      for (const text of searchableText(state)) await deps.sessions.indexText(id, text)
      return withHead(deps, created)
    },
  }
}
