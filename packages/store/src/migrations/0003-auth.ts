import type { Kysely } from "kysely"
import type { DatabaseKind } from "../database.ts"

/**
 * Accounts: users, browser sign-in sessions, API keys, password reset tokens and the audit log.
 * Secrets (session tokens, keys, reset tokens) are stored only as SHA-256 hashes.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not today's types
export async function createAuth(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  await db.schema
    .createTable("app_user")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("email", "text", (column) => column.notNull().unique())
    .addColumn("name", "text", (column) => column.notNull())
    .addColumn("password_hash", "text")
    .addColumn("admin", "integer", (column) => column.notNull())
    .addColumn("disabled_at", "text")
    .addColumn("created_at", "text", (column) => column.notNull())
    .addColumn("updated_at", "text", (column) => column.notNull())
    .execute()
  await db.schema
    .createTable("login_session")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("token_hash", "text", (column) => column.notNull().unique())
    .addColumn("csrf_token", "text", (column) => column.notNull())
    .addColumn("user_id", "text", (column) => column.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("created_at", "text", (column) => column.notNull())
    .addColumn("last_seen_at", "text", (column) => column.notNull())
    .addColumn("expires_at", "text", (column) => column.notNull())
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .execute()
  await db.schema.createIndex("login_session_user").on("login_session").column("user_id").execute()
  await db.schema
    .createTable("api_key")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("secret_hash", "text", (column) => column.notNull().unique())
    .addColumn("user_id", "text", (column) => column.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("name", "text", (column) => column.notNull())
    .addColumn("scope", "text", (column) => column.notNull())
    .addColumn("prefix", "text", (column) => column.notNull())
    .addColumn("created_at", "text", (column) => column.notNull())
    .addColumn("expires_at", "text")
    .addColumn("last_used_at", "text")
    .addColumn("revoked_at", "text")
    .execute()
  await db.schema.createIndex("api_key_user").on("api_key").column("user_id").execute()
  await db.schema
    .createTable("password_reset")
    .addColumn("token_hash", "text", (column) => column.primaryKey())
    .addColumn("user_id", "text", (column) => column.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("created_by", "text", (column) => column.notNull())
    .addColumn("created_at", "text", (column) => column.notNull())
    .addColumn("expires_at", "text", (column) => column.notNull())
    .addColumn("used_at", "text")
    .execute()
  await db.schema
    .createTable("audit_entry")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("time", "text", (column) => column.notNull())
    .addColumn("action", "text", (column) => column.notNull())
    .addColumn("outcome", "text", (column) => column.notNull())
    .addColumn("actor_user_id", "text")
    .addColumn("actor_key_id", "text")
    .addColumn("target", "text")
    .addColumn("ip", "text")
    .addColumn("user_agent", "text")
    .addColumn("details", kind === "postgres" ? "json" : "text", (column) => column.notNull())
    .execute()
  await db.schema.createIndex("audit_entry_action").on("audit_entry").columns(["action", "id"]).execute()
  await db.schema
    .createIndex("audit_entry_actor")
    .on("audit_entry")
    .columns(["actor_user_id", "id"])
    .execute()
}
