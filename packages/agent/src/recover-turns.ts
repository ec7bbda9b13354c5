import { type Logger, newId } from "@xionimus/kit"
import { type NewEvent, reduceSession, type SessionState } from "@xionimus/protocol"
import { holderIsGone } from "./node-id.ts"
import { readLog } from "./session-log.ts"
import type { SessionEngineDeps } from "./types.ts"

export const interruptedMessage = "The server stopped during this turn; resume or retry."

/** The id of a turn's `turn.ended`: the turn's own end and a recovering node's never both land. */
export const endEventId = (turnId: string) => `evt_end_${turnId}`.slice(0, 64)

/**
 * The events that end a turn whose node died: `assistant.finished` (interrupted) for an answer cut off
 * mid-stream, then `turn.ended` (interrupted; its id is the turn's own end id, so it lands once).
 */
export function interruptionEvents(state: SessionState, turnId: string): NewEvent[] {
  const events: NewEvent[] = []
  for (const message of state.allMessages) {
    if (message.role === "assistant" && message.turnId === turnId && !message.finish)
      events.push({
        id: newId("evt"),
        type: "assistant.finished",
        data: { messageId: message.id, reason: "interrupted", model: message.model },
      })
  }
  events.push({
    id: endEventId(turnId),
    type: "turn.ended",
    data: { turnId, outcome: "interrupted", message: interruptedMessage },
  })
  return events
}

/** Leases looked at per recover() call. */
const batch = 1000
const endOfTime = "9999-12-31T23:59:59.999Z"

/**
 * Marks the turns of expired leases, and of leases whose holder process is gone from this host, interrupted: an answer cut off mid-stream gets
 * `assistant.finished` (cancelled), the turn `turn.ended` (interrupted), the session the run state
 * `interrupted`; the lease is released. Turns this process still runs are left alone. Returns how
 * many turns were marked.
 */
export async function recoverTurns(
  deps: Pick<SessionEngineDeps, "bus" | "sessions">,
  options: { now: Date; logger: Logger; runsHere(sessionId: string, turnId: string): boolean },
): Promise<number> {
  // Every lease, so that one whose process is gone from this host is taken at once, not at expiry.
  const leases = await deps.sessions.expiredLeases(endOfTime, batch)
  const now = options.now.toISOString()
  let interrupted = 0
  for (const lease of leases) {
    // An orchestra run's lease (same table, keyed by the run id): the orchestra host takes it over.
    if (lease.sessionId.startsWith("orc_")) continue
    if (options.runsHere(lease.sessionId, lease.turnId)) continue
    if (lease.expiresAt >= now && !holderIsGone(lease.nodeId)) continue
    try {
      const state = reduceSession(await readLog(deps, lease.sessionId))
      const turn = state.lastTurn
      if (turn?.turnId === lease.turnId && !turn.outcome) {
        await deps.bus.append(lease.sessionId, interruptionEvents(state, lease.turnId))
        await deps.sessions.setRunState(lease.sessionId, "interrupted")
        interrupted++
      }
      await deps.sessions.releaseLease(lease.sessionId, lease.turnId)
    } catch (error) {
      options.logger.error(
        { err: error, sessionId: lease.sessionId, turnId: lease.turnId },
        "recovering a turn failed",
      )
    }
  }
  return interrupted
}
