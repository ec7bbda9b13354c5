import { AppError } from "@xionimus/kit"
import type { SessionRepository } from "@xionimus/store"

/**
 * Sessions of a project share its files: restoring them (a code rewind, its undo, a fork that restores)
 * while another session's turn runs would change the files under that turn. Refused with TURN_RUNNING,
 * naming the other session; the session itself is checked by its own engine.
 */
export async function refuseWhileOtherTurnsRun(
  sessions: Pick<SessionRepository, "running">,
  projectId: string,
  sessionId: string,
  action: string,
): Promise<void> {
  const other = (await sessions.running(projectId, 2)).find((session) => session.id !== sessionId)
  if (!other) return
  throw new AppError(
    "TURN_RUNNING",
    `Session "${other.title}" of this project is running a turn that may change the project's files. Wait until it ends or stop it, then ${action}.`,
    { sessionId: other.id },
  )
}
