import { createHash } from "node:crypto"
import { reduceSession, type SessionState, type StoredEvent } from "@xionimus/protocol"
import { canonicalJson } from "./canonical-json.ts"

/**
 * The sha256 (hex) of a session's reduced state as canonical JSON (keys sorted), without what an
 * import changes by design: the session's own id, its project, and event times (the log stamps
 * events when they are appended). Export writes it; import recomputes it and refuses a mismatch.
 */
export function sessionStateHash(events: readonly StoredEvent[]): string {
  return createHash("sha256")
    .update(canonicalJson(stableState(reduceSession(events))))
    .digest("hex")
}

function stableState(state: SessionState): unknown {
  const { id: _id, projectId: _projectId, ...rest } = state
  const timeless = <T extends { time: string }>({ time: _time, ...message }: T) => message
  return { ...rest, messages: rest.messages.map(timeless), allMessages: rest.allMessages.map(timeless) }
}
