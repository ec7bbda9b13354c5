import { AppError } from "@xionimus/kit"
import type { Session, SessionState, StoredEvent } from "@xionimus/protocol"
import type { SessionRecord } from "@xionimus/store"
import type { SessionEngineDeps } from "./types.ts"

/** Log reads per page. */
const pageSize = 1000

/** What the session operations read and write through (the engine's deps, narrowed). */
export type OperationDeps = Pick<
  SessionEngineDeps,
  "bus" | "sessions" | "log" | "runtimeFor" | "publicUrl"
> & {
  clock: () => Date
}

export async function requireSession(deps: OperationDeps, sessionId: string): Promise<SessionRecord> {
  const record = await deps.sessions.get(sessionId)
  if (!record)
    throw new AppError("SESSION_NOT_FOUND", `There is no session ${sessionId}. List the project's sessions.`)
  return record
}

/** The whole log of a session, in seq order. */
export async function readLog(deps: Pick<OperationDeps, "bus">, sessionId: string): Promise<StoredEvent[]> {
  const events: StoredEvent[] = []
  for (;;) {
    const page = await deps.bus.read(sessionId, { after: events.at(-1)?.seq ?? 0, limit: pageSize })
    events.push(...page)
    if (page.length < pageSize) return events
  }
}

export async function headOf(deps: Pick<OperationDeps, "bus" | "log">, sessionId: string): Promise<number> {
  if (deps.log) return deps.log.head(sessionId)
  return (await readLog(deps, sessionId)).at(-1)?.seq ?? 0
}

export async function withHead(
  deps: Pick<OperationDeps, "bus" | "log">,
  record: SessionRecord,
): Promise<Session> {
  return { ...record, head: await headOf(deps, record.id) }
}

/** Appends many events in batches that stay well under the databases' parameter limits. */
export async function appendAll(
  deps: Pick<OperationDeps, "bus">,
  sessionId: string,
  events: { id: string; type: string; data: unknown }[],
): Promise<StoredEvent[]> {
  const stored: StoredEvent[] = []
  for (let start = 0; start < events.length; start += 500)
    stored.push(...(await deps.bus.append(sessionId, events.slice(start, start + 500))))
  return stored
}

/** The seq of the user message's `message.created`; MESSAGE_NOT_FOUND when the session has none. */
export function messageSeq(events: readonly StoredEvent[], messageId: string): number {
  const event = events.find(
    (candidate) =>
      candidate.type === "message.created" &&
      (candidate.data as { messageId?: unknown } | null)?.messageId === messageId,
  )
  if (!event)
    throw new AppError(
      "MESSAGE_NOT_FOUND",
      `The session has no user message ${messageId}. Pick one of the session's user messages.`,
      { messageId },
    )
  return event.seq
}

/** Text that the session search should find, one entry per message: user messages and assistant answers. */
export function searchableText(state: SessionState): string[] {
  return state.allMessages
    .map((message) =>
      message.role === "user"
        ? message.text
        : message.parts.map((part) => (part.type === "text" ? part.text : "")).join(""),
    )
    .filter((text) => text.trim() !== "")
}
