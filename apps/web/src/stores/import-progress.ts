import { ImportProgressData } from "@xionimus/protocol"
import type { StreamClient } from "@xionimus/sdk"

/** What the create form shows while a project's files arrive: the phase, git's own line and a ratio. */
export interface ImportProgressView {
  phase: string
  message: string
  /** 0..1 where the phase knows it. */
  ratio: number | null
}

/**
 * Follows an import's progress stream (the server writes import.started, import.progress…, import.ended)
 * and hands each progress to `onProgress`. The stream is read from its start, so events published before
 * the subscription arrive too. Returns the unsubscribe.
 */
export function followImport(
  streams: Pick<StreamClient, "subscribe">,
  progressId: string,
  onProgress: (progress: ImportProgressView) => void,
): () => void {
  return streams.subscribe(progressId, {
    after: 0,
    onEvent(event) {
      if (event.type !== "import.progress") return
      const parsed = ImportProgressData.safeParse(event.data)
      if (!parsed.success) return
      onProgress({ phase: parsed.data.phase, message: parsed.data.message, ratio: parsed.data.ratio ?? null })
    },
  })
}
