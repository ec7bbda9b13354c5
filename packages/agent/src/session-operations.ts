import { AppError } from "@xionimus/kit"
import type { SessionEngineDeps, SessionOperations } from "./types.ts"

// A placeholder until rewind, fork, export/import and shares are built; every method refuses.
export function createSessionOperations(
  _deps: SessionEngineDeps,
  _options: { isRunning(sessionId: string): boolean },
): SessionOperations {
  const notBuilt = async (): Promise<never> => {
    throw new AppError("NOT_FOUND", "not built yet")
  }
  return {
    rewindPreview: notBuilt,
    rewind: notBuilt,
    undoRewind: notBuilt,
    fork: notBuilt,
    exportJson: notBuilt,
    exportMarkdown: notBuilt,
    importJson: notBuilt,
    share: notBuilt,
    listShares: notBuilt,
    revokeShare: notBuilt,
    readShared: notBuilt,
  }
}
