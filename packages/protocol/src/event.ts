import { z } from "zod"

/** A stream is one ordered log: a project's activity (`prj_…`), later a session (`ses_…`). */
export const StreamName = z
  .string()
  .regex(/^[a-z]{2,8}_[0-9A-Za-z_-]{1,64}$/, "a stream name such as prj_… or ses_…")

export const EventType = z.string().regex(/^[a-z]+(\.[a-z_]+)+$/, "domain.noun.verb")

/** An event as stored: `seq` is gap-free per stream, starting at 1. */
export const StoredEvent = z.object({
  id: z.string(),
  stream: z.string(),
  seq: z.number().int().min(1),
  type: z.string(),
  data: z.unknown(),
  time: z.iso.datetime(),
})
export type StoredEvent = z.infer<typeof StoredEvent>

/** An event to append; `id` makes the append idempotent. */
export const NewEvent = z.object({
  id: z.string().min(1).max(64),
  type: EventType,
  data: z.unknown(),
})
export type NewEvent = z.infer<typeof NewEvent>

export const EventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})
export const StreamParams = z.strictObject({ stream: StreamName })
export const EventPage = z.object({ items: z.array(StoredEvent), head: z.number().int().min(0) })

/** Event data of the project activity stream. */
export const FileChangedData = z.object({
  path: z.string(),
  change: z.enum(["created", "updated", "deleted", "moved"]),
  from: z.string().optional(),
  entryType: z.enum(["file", "directory"]).optional(),
  /** Who changed it: a person through the API, or the agent (its session and the tool call). */
  by: z
    .object({
      userId: z.string().nullable().optional(),
      sessionId: z.string().optional(),
      callId: z.string().optional(),
    })
    .optional(),
})
export type FileChangedData = z.infer<typeof FileChangedData>

/** A session of the project was added, changed (title, tags, pin, archive, run state) or removed. */
export const ProjectSessionChange = z.object({
  sessionId: z.string(),
  change: z.enum(["added", "changed", "removed"]),
})
export type ProjectSessionChange = z.infer<typeof ProjectSessionChange>

export const projectEventTypes = [
  "project.created",
  "project.renamed",
  "project.deleted",
  "project.restored",
  "file.changed",
  "session.added",
  "session.changed",
  "session.removed",
] as const
