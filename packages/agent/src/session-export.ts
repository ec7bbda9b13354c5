import { type SessionExport, type StoredEvent, sessionExportVersion } from "@xionimus/protocol"
import { redactEvents, redactText } from "./redact-events.ts"
import { type OperationDeps, readLog, requireSession } from "./session-log.ts"
import { sessionStateHash } from "./state-hash.ts"

/** The events as an export holds them: secrets redacted, the fields of the export format only. */
export function exportedEvents(events: readonly StoredEvent[]): SessionExport["events"] {
  return redactEvents(events).map(({ id, seq, type, data, time }) => ({ id, seq, type, data, time }))
}

/**
 * A session as versioned JSON: its meta, every event (secrets redacted) and the hash of the state
 * those events reduce to, so that an import can tell an unchanged file.
 */
export async function exportSession(deps: OperationDeps, sessionId: string): Promise<SessionExport> {
  const record = await requireSession(deps, sessionId)
  const events = exportedEvents(await readLog(deps, sessionId))
  return {
    format: "xionimus.session",
    version: sessionExportVersion,
    exportedAt: deps.clock().toISOString(),
    session: {
      id: record.id,
      title: redactText(record.title),
      tags: record.tags,
      model: record.model,
    },
    events,
    stateHash: sessionStateHash(events.map((event) => ({ ...event, stream: sessionId }))),
  }
}
