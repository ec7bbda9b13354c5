import type { Kysely } from "kysely"
import type { DatabaseKind } from "../database.ts"

/**
 * The event log: PK(stream, seq) for ordered reads, unique(stream, id) for idempotent appends, and
 * one head row per stream that appenders bump inside their transaction (see event-repository.ts).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not today's types
export async function createEvents(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  await db.schema
    .createTable("event_stream")
    .addColumn("stream", "text", (column) => column.primaryKey())
    .addColumn("head", "integer", (column) => column.notNull())
    .execute()
  await db.schema
    .createTable("event")
    .addColumn("stream", "text", (column) => column.notNull())
    .addColumn("seq", "integer", (column) => column.notNull())
    .addColumn("id", "text", (column) => column.notNull())
    .addColumn("type", "text", (column) => column.notNull())
    .addColumn("data", kind === "postgres" ? "json" : "text", (column) => column.notNull())
    .addColumn("time", "text", (column) => column.notNull())
    .addPrimaryKeyConstraint("event_pkey", ["stream", "seq"])
    .addUniqueConstraint("event_stream_id", ["stream", "id"])
    .execute()
}
