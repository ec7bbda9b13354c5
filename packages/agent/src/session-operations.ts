import { createFork } from "./fork.ts"
import { markdownTranscript } from "./markdown-transcript.ts"
import { redactEvents } from "./redact-events.ts"
import { createRewind } from "./rewind.ts"
import { exportSession } from "./session-export.ts"
import { importSession } from "./session-import.ts"
import { type OperationDeps, readLog, requireSession } from "./session-log.ts"
import { createShares } from "./session-shares.ts"
import type { SessionEngineDeps, SessionOperations } from "./types.ts"

/**
 * The engine's operations on whole sessions: rewind (and its undo), fork, export and import, and
 * share links. The engine spreads them into itself and tells whether a session runs a turn.
 */
export function createSessionOperations(
  engineDeps: SessionEngineDeps,
  hooks: { isRunning(sessionId: string): boolean },
): SessionOperations {
  const deps: OperationDeps = { ...engineDeps, clock: engineDeps.clock ?? (() => new Date()) }
  return {
    ...createRewind(deps, hooks),
    ...createFork(deps, hooks),
    exportJson: (sessionId) => exportSession(deps, sessionId),
    async exportMarkdown(sessionId) {
      const record = await requireSession(deps, sessionId)
      return markdownTranscript(record, redactEvents(await readLog(deps, sessionId)))
    },
    importJson: (projectId, data, createdBy) => importSession(deps, projectId, data, createdBy),
    ...createShares(deps),
  }
}
