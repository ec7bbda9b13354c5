import type { Kysely } from "kysely"
import type { DatabaseKind } from "../database.ts"

/**
 * Sessions (the list and search view of each session's event log), the turn leases that keep one
 * turn per session across server nodes, share links (the token only as its sha256), and the
 * permission settings of projects and users.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not today's types
export async function createSessions(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  const json = kind === "postgres" ? "json" : "text"
  const count = kind === "postgres" ? "bigint" : "integer"
  await db.schema
    .createTable("session")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("project_id", "text", (column) => column.notNull())
    .addColumn("title", "text", (column) => column.notNull())
    .addColumn("title_key", "text", (column) => column.notNull())
    .addColumn("tags", json, (column) => column.notNull())
    .addColumn("tags_text", "text", (column) => column.notNull())
    .addColumn("pinned", "integer", (column) => column.notNull())
    .addColumn("archived_at", "text")
    .addColumn("run_state", "text", (column) => column.notNull())
    .addColumn("model", "text")
    .addColumn("forked_from_session", "text")
    .addColumn("forked_from_seq", "integer")
    .addColumn("input_tokens", count, (column) => column.notNull())
    .addColumn("output_tokens", count, (column) => column.notNull())
    .addColumn("cached_input_tokens", count, (column) => column.notNull())
    .addColumn("cost_usd", kind === "postgres" ? "double precision" : "real", (column) => column.notNull())
    .addColumn("search_text", "text", (column) => column.notNull())
    .addColumn("created_by", "text")
    .addColumn("created_at", "text", (column) => column.notNull())
    .addColumn("updated_at", "text", (column) => column.notNull())
    .execute()
  await db.schema
    .createIndex("session_project_order")
    .on("session")
    .columns(["project_id", "pinned", "updated_at", "id"])
    .execute()

  await db.schema
    .createTable("session_lease")
    .addColumn("session_id", "text", (column) => column.primaryKey())
    .addColumn("turn_id", "text", (column) => column.notNull())
    .addColumn("node_id", "text", (column) => column.notNull())
    .addColumn("expires_at", "text", (column) => column.notNull())
    .execute()
  await db.schema.createIndex("session_lease_expires_at").on("session_lease").column("expires_at").execute()

  await db.schema
    .createTable("session_share")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("session_id", "text", (column) => column.notNull())
    .addColumn("token_hash", "text", (column) => column.notNull())
    .addColumn("created_by", "text")
    .addColumn("created_at", "text", (column) => column.notNull())
    .addColumn("expires_at", "text", (column) => column.notNull())
    .addColumn("revoked_at", "text")
    .addUniqueConstraint("session_share_token_hash", ["token_hash"])
    .execute()
  await db.schema.createIndex("session_share_session").on("session_share").column("session_id").execute()

  await db.schema
    .createTable("permission_setting")
    .addColumn("scope", "text", (column) => column.notNull())
    .addColumn("owner_id", "text", (column) => column.notNull())
    .addColumn("mode", "text")
    .addColumn("rules", json, (column) => column.notNull())
    .addColumn("updated_at", "text", (column) => column.notNull())
    .addPrimaryKeyConstraint("permission_setting_pkey", ["scope", "owner_id"])
    .execute()
}
