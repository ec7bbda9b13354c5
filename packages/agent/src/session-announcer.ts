import type { EventBus } from "@xionimus/bus"
import { type Logger, newId } from "@xionimus/kit"
import type { ProjectSessionChange } from "@xionimus/protocol"
import type { SessionRepository } from "@xionimus/store"

/**
 * The session repository, telling the project's activity stream whenever a session is added, changed
 * (title, tags, pin, archive, run state) or removed, so that session lists of every viewer follow
 * without reloading. Sessions made by forks, imports and other processes (`xionimus run`) included.
 * A failed announcement is logged; the change itself stands.
 */
export function announcingSessions(
  sessions: SessionRepository,
  bus: EventBus,
  logger: Logger,
): SessionRepository {
  function announce(projectId: string, sessionId: string, change: ProjectSessionChange["change"]): void {
    const data: ProjectSessionChange = { sessionId, change }
    bus
      .append(projectId, [{ id: newId("evt"), type: `session.${change}`, data }])
      .catch((error: unknown) =>
        logger.warn({ err: error, projectId, sessionId }, "session change not announced"),
      )
  }
  return {
    ...sessions,
    async create(input) {
      const record = await sessions.create(input)
      announce(record.projectId, record.id, "added")
      return record
    },
    async update(id, patch) {
      const record = await sessions.update(id, patch)
      announce(record.projectId, id, "changed")
      return record
    },
    async setRunState(id, runState) {
      await sessions.setRunState(id, runState)
      const record = await sessions.get(id)
      if (record) announce(record.projectId, id, "changed")
    },
    async remove(id) {
      const record = await sessions.get(id)
      await sessions.remove(id)
      if (record) announce(record.projectId, id, "removed")
    },
  }
}
