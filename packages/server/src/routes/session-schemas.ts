import {
  PermissionMode,
  PermissionRule,
  pageOf,
  RewindMode,
  Session,
  SessionId,
  Share,
  StoredEvent,
} from "@xionimus/protocol"
import { z } from "zod"

/** Request and answer shapes of the session routes that @xionimus/protocol does not hold itself. */

export const SessionParams = z.strictObject({ sessionId: SessionId })
export const ShareParams = z.strictObject({ sessionId: SessionId, shareId: z.string().min(1).max(64) })
export const RevertParams = z.strictObject({ sessionId: SessionId, eventId: z.string().min(1).max(64) })
export const SharedParams = z.strictObject({ token: z.string().min(1).max(256) })

export const SessionPage = pageOf(Session)

export const SessionEventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})
export const SessionEventPage = z.object({
  items: z.array(StoredEvent),
  head: z.number().int().min(0),
  session: Session,
})
export const SessionStreamQuery = z.strictObject({
  /** Deliver events with seq > after; a Last-Event-ID header wins over it (EventSource reconnects). */
  after: z.coerce.number().int().min(0).optional(),
})

export const MessageAccepted = z.object({
  messageId: z.string(),
  /** True when a turn was running: the message waits and starts the next turn. */
  queued: z.boolean(),
})
export const TurnAccepted = z.object({ turnId: z.string() })

export const RewindPreview = z.object({
  mode: RewindMode,
  /** Unified diff from the workspace now to the restored state (empty for chat-only). */
  diff: z.string(),
  files: z.array(z.object({ path: z.string(), change: z.enum(["added", "modified", "deleted"]) })),
  /** Events the chat would hide. */
  hiddenEvents: z.number().int().min(0),
})

export const ExportQuery = z.strictObject({ format: z.enum(["json", "markdown"]).default("json") })
/** The import body is checked by the engine (EXPORT_INVALID, EXPORT_VERSION_UNSUPPORTED), not here. */
export const SessionImportBody = z
  .looseObject({})
  .describe("A SessionExport document, as GET /api/sessions/{sessionId}/export wrote it")

export const ShareList = z.object({ items: z.array(Share) })
export const SharedSession = z.object({
  session: z.object({ id: z.string(), title: z.string(), createdAt: z.iso.datetime() }),
  /** Secrets (API keys, tokens, environment values) are redacted. */
  items: z.array(StoredEvent),
  head: z.number().int().min(0),
})
export const SharedQuery = SessionEventsQuery

/** A project's permission settings: the mode and the rules its sessions start from. */
export const ProjectPermissionSettings = z.strictObject({
  mode: PermissionMode,
  rules: z.array(PermissionRule).max(1000),
})
/** A user's own settings: rules, and a mode that may only be stricter than a project's. */
export const UserPermissionSettings = z.strictObject({
  mode: PermissionMode.optional(),
  rules: z.array(PermissionRule).max(1000),
})
