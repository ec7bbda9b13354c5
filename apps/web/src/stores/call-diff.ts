import type { CallDiff, CallDiffFile, SessionState } from "@xionimus/protocol"

/** One file a call changed, as the diff view shows it (omitted sides as empty text, with the reason). */
export interface CallFileDiff {
  path: string
  change: CallDiffFile["change"]
  /** Why the text is not shown: binary, too large, or not a regular file. Null when it is. */
  omitted: CallDiffFile["omitted"]
  before: string
  after: string
}

export interface CallChanges {
  files: CallFileDiff[]
  /** The server listed only the first of more files. */
  truncated: boolean
}

/** Whether the session log says the call changed files: its own checkpoint was recorded. */
export function recordedChange(state: Pick<SessionState, "checkpoints">, callId: string): boolean {
  return state.checkpoints.some((checkpoint) => checkpoint.callId === callId && checkpoint.changed)
}

/** Codes meaning "the server cannot say": an older server without the route, or no checkpoint of the call. */
const cannotSay = new Set(["ROUTE_NOT_FOUND", "CALL_NOT_RECORDED"])

/**
 * The server's exact answer (GET /api/sessions/:id/calls/:callId/diff, from the checkpoints around the
 * call). Null when the server cannot give it, so that the caller falls back; other failures are raised.
 */
export async function serverCallChanges(load: () => Promise<CallDiff>): Promise<CallChanges | null> {
  let diff: CallDiff
  try {
    diff = await load()
  } catch (error) {
    if (cannotSay.has(String((error as { code?: unknown }).code))) return null
    throw error
  }
  return {
    files: diff.files.map((file) => ({
      path: file.path,
      change: file.change,
      omitted: file.omitted,
      before: file.before ?? "",
      after: file.after ?? "",
    })),
    truncated: diff.truncated,
  }
}
