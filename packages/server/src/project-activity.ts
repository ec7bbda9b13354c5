import type { EventBus } from "@xionimus/bus"
import { newId } from "@xionimus/kit"
import type { StoredEvent } from "@xionimus/protocol"
import type { AppMetrics } from "./metrics.ts"

export type ProjectEventType =
  | "project.created"
  | "project.renamed"
  | "project.deleted"
  | "project.restored"
  | "file.changed"

/** Appends to a project's activity stream (named by the project id) through the bus. */
export interface ProjectActivity {
  record(projectId: string, events: { type: ProjectEventType; data: unknown }[]): Promise<StoredEvent[]>
}

export function createProjectActivity(bus: EventBus, metrics: AppMetrics): ProjectActivity {
  return {
    async record(projectId, events) {
      if (events.length === 0) return []
      const stored = await bus.append(
        projectId,
        events.map((event) => ({ id: newId("evt"), type: event.type, data: event.data })),
      )
      for (const event of events) metrics.eventAppends.inc({ type: event.type })
      return stored
    },
  }
}
