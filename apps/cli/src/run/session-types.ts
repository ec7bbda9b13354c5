import type { HeadlessSessions } from "@xionimus/server"

// The CLI may not import @xionimus/protocol (apps/cli → server, sdk, config, kit): the shapes come
// from the engine's own signatures.
type Engine = HeadlessSessions["engine"]

/** One event of a session's log, as stored (seq, type, data, time). */
export type StoredEvent = Awaited<ReturnType<Engine["rewind"]>>
export type Session = Awaited<ReturnType<Engine["get"]>>
export type PermissionDecision = Parameters<Engine["decide"]>[2]
