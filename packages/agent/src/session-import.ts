import { AppError, newId } from "@xionimus/kit"
import {
  EventType,
  reduceSession,
  type Session,
  SessionExport,
  type StoredEvent,
  sessionExportVersion,
} from "@xionimus/protocol"
import { z } from "zod"
import { appendAll, type OperationDeps, searchableText, withHead } from "./session-log.ts"
import { sessionStateHash } from "./state-hash.ts"

/** Problems listed in EXPORT_INVALID at most. */
const problemLimit = 20

const ImportedEvent = z.object({ id: z.string().min(1).max(64), type: EventType })

function invalid(message: string, problems: { path: (string | number)[]; message: string }[]): AppError {
  return new AppError("EXPORT_INVALID", message, problems.slice(0, problemLimit))
}

/** Validates an export file: EXPORT_VERSION_UNSUPPORTED for a newer version, EXPORT_INVALID otherwise. */
export function parseExport(data: unknown): SessionExport {
  const version = (data as { version?: unknown } | null)?.version
  if (typeof version === "number" && Number.isInteger(version) && version > sessionExportVersion)
    throw new AppError(
      "EXPORT_VERSION_UNSUPPORTED",
      `This export was written by a newer Xionimus (version ${version}); this server reads up to ${sessionExportVersion}. Upgrade to import it.`,
      { version, supported: sessionExportVersion },
    )
  const parsed = SessionExport.safeParse(data)
  if (!parsed.success)
    throw invalid(
      "This is not a Xionimus session export; the problems are listed in details.",
      parsed.error.issues.map((issue) => ({
        path: issue.path.map((part) => (typeof part === "symbol" ? String(part) : part)),
        message: issue.message,
      })),
    )
  const file = parsed.data
  const problems: { path: (string | number)[]; message: string }[] = []
  const ids = new Set<string>()
  file.events.forEach((event, index) => {
    if (ids.has(event.id))
      problems.push({ path: ["events", index, "id"], message: "used by an earlier event" })
    ids.add(event.id)
    if (event.seq !== index + 1)
      problems.push({ path: ["events", index, "seq"], message: `expected ${index + 1}` })
    const shape = ImportedEvent.safeParse(event)
    if (!shape.success)
      for (const issue of shape.error.issues)
        problems.push({
          path: ["events", index, ...(issue.path as (string | number)[])],
          message: issue.message,
        })
  })
  const first = file.events[0]
  if (first?.type !== "session.created")
    problems.push({ path: ["events", 0, "type"], message: "the first event must be session.created" })
  else if (first.data === null || typeof first.data !== "object" || Array.isArray(first.data))
    problems.push({ path: ["events", 0, "data"], message: "session.created data must be an object" })
  if (problems.length > 0) throw invalid("The export's events are not a session log; see details.", problems)
  const events = file.events.map((event): StoredEvent => ({ ...event, stream: file.session.id }))
  if (sessionStateHash(events) !== file.stateHash)
    throw invalid(
      "The export was changed after export (its state hash does not match its events). Import an unchanged export.",
      [{ path: ["stateHash"], message: "does not match the events" }],
    )
  return file
}

/**
 * Imports an export as a new session of the project: the same events in the same order (ids, types
 * and data kept; the session.created moved to the project), so that exporting the import gives the
 * same state hash. Events are stamped with the time of the import.
 */
export async function importSession(
  deps: OperationDeps,
  projectId: string,
  data: unknown,
  createdBy: string | null,
): Promise<Session> {
  const file = parseExport(data)
  const id = newId("ses")
  const [first, ...rest] = file.events
  const created = await deps.sessions.create({
    id,
    projectId,
    title: file.session.title,
    model: file.session.model,
    tags: file.session.tags,
    createdBy,
  })
  const stored = await appendAll(deps, id, [
    { id: first!.id, type: first!.type, data: { ...(first!.data as object), projectId } },
    ...rest.map((event) => ({ id: event.id, type: event.type, data: event.data })),
  ])
  for (const text of searchableText(reduceSession(stored))) await deps.sessions.indexText(id, text)
  return withHead(deps, created)
}
