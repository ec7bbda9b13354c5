import { z } from "zod"
import { ErrorData } from "./error.ts"
import { StoredEvent, StreamName } from "./event.ts"

/** Frames a client sends on /api/stream. */
export const ClientFrame = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("subscribe"),
    stream: StreamName,
    /** Deliver events with seq greater than this first (default 0: the whole log). */
    after: z.number().int().min(0).optional(),
  }),
  z.strictObject({ type: z.literal("unsubscribe"), stream: StreamName }),
  z.strictObject({ type: z.literal("ping") }),
])
export type ClientFrame = z.infer<typeof ClientFrame>

/** Frames the server sends on /api/stream. */
export const ServerFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("subscribed"), stream: z.string(), head: z.number().int() }),
  z.object({ type: z.literal("unsubscribed"), stream: z.string() }),
  z.object({ type: z.literal("event"), stream: z.string(), event: StoredEvent }),
  z.object({ type: z.literal("error"), stream: z.string().optional(), error: ErrorData }),
  z.object({ type: z.literal("pong") }),
])
export type ServerFrame = z.infer<typeof ServerFrame>

/** WebSocket close codes (4000–4999 are ours). */
export const closeCodes = {
  shuttingDown: 1001,
  tooManyInvalidFrames: 4400,
} as const
