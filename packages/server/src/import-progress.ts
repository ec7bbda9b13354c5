import type { EventBus } from "@xionimus/bus"
import { AppError, newId, toAppError } from "@xionimus/kit"
import type { ImportEndedData, ImportProgressData } from "@xionimus/protocol"
import type { FastifyBaseLogger } from "fastify"

export interface ImportProgress {
  /**
   * The latest progress: a new phase is published at once; within a phase at most one append per
   * `intervalMs`, the newest kept (git redraws its line many times a second).
   */
  report(progress: ImportProgressData): void
  /** Writes what is pending, then `import.ended`. */
  end(outcome: { projectId: string } | { error: unknown }): Promise<void>
}

/** Progress of nothing (no progress id was given). */
const silent: ImportProgress = { report: () => undefined, end: async () => undefined }

/**
 * Publishes an import's progress on the stream the client named. The stream must be new: its first event,
 * `import.started`, names the user (only that user may read it), and an id used before is PROGRESS_ID_TAKEN; failures to publish are logged, never
 * raised (progress must not break the import).
 */
export async function openImportProgress(
  bus: EventBus,
  log: FastifyBaseLogger,
  progressId: string | undefined,
  userId: string | null,
  intervalMs = 250,
): Promise<ImportProgress> {
  if (!progressId) return silent
  // Only the first writer owns the stream (a later one lands at seq > 1 and is refused; readers go by seq 1).
  const appended = await bus.append(progressId, [
    { id: newId("evt"), type: "import.started", data: { userId } },
  ])
  if (appended[0]?.seq !== 1) {
    throw new AppError("PROGRESS_ID_TAKEN", "This progress id is used already; send a new random one.", {
      progressId,
    })
  }
  let pending: ImportProgressData | null = null
  let phase: string | null = null
  let timer: NodeJS.Timeout | undefined
  let chain: Promise<void> = Promise.resolve()
  const write = (type: string, data: unknown) => {
    chain = chain
      .then(async () => {
        await bus.append(progressId, [{ id: newId("evt"), type, data }])
      })
      .catch((error: unknown) => log.warn({ err: error, progressId }, "import progress not published"))
    return chain
  }
  const flush = () => {
    timer = undefined
    if (!pending) return
    const data = pending
    pending = null
    void write("import.progress", data)
  }
  return {
    report(progress) {
      pending = progress
      if (progress.phase !== phase) {
        phase = progress.phase
        clearTimeout(timer)
        flush()
        return
      }
      timer ??= setTimeout(flush, intervalMs)
    },
    async end(outcome) {
      clearTimeout(timer)
      flush()
      const data: ImportEndedData =
        "projectId" in outcome
          ? { projectId: outcome.projectId }
          : (() => {
              const error = toAppError(outcome.error)
              return { error: { code: error.code, message: error.message } }
            })()
      await write("import.ended", data)
    },
  }
}
