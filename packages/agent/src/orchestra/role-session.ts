import type { EventBus } from "@xionimus/bus"
import { instanceOf, type StoredEvent } from "@xionimus/protocol"
import type { SessionRepository } from "@xionimus/store"
import type { Role } from "./roles.ts"
import type { RunState } from "./run-state.ts"

/**
 * Each role's conversation is a session of its own (`ses_…`), so its transcript, tool cards and export
 * work as they do for one agent. Ids are derived from the run, so a resumed or repeated step finds it.
 */

// A step's agent name (`implementer_2`) is part of the run's state (its read cursors): protocol's.
export { instanceOf }

/** The role's session: one per role, and one per role and package for package work (parallel turns). */
export function sessionIdOf(runId: string, role: string, packageId?: string): string {
  return `ses_${runId.slice(4)}_${instanceOf(role, packageId)}`
}

export async function ensureSession(
  host: { bus: Pick<EventBus, "append">; sessions: Pick<SessionRepository, "get" | "create"> },
  sessionId: string,
  state: RunState,
  role: Role,
): Promise<void> {
  if (await host.sessions.get(sessionId)) return
  const title = `${role.name} · ${state.goal.split("\n")[0]!.slice(0, 40)}`
  await host.sessions.create({
    id: sessionId,
    projectId: state.projectId,
    title,
    model: role.model ?? null,
    tags: ["orchestra", state.id],
    createdBy: state.createdBy,
  })
  await host.bus.append(sessionId, [
    {
      id: `evt_created_${sessionId}`.slice(0, 64),
      type: "session.created",
      data: { projectId: state.projectId, title, model: role.model ?? null, forkedFrom: null },
    },
  ])
}

/** Every event of a stream, read page by page. */
export async function readStream(bus: Pick<EventBus, "read">, stream: string): Promise<StoredEvent[]> {
  const all: StoredEvent[] = []
  for (;;) {
    const page = await bus.read(stream, { after: all.at(-1)?.seq ?? 0, limit: 1000 })
    all.push(...page)
    if (page.length < 1000) return all
  }
}
