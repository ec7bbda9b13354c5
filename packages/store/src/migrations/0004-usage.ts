import type { Kysely } from "kysely"
import type { DatabaseKind } from "../database.ts"

/**
 * Model usage (one row per model call attempt, with tokens, cost and outcome) and the provider
 * settings users and teams store (the key only as AES-256-GCM ciphertext and its last four characters).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not today's types
export async function createUsage(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  await db.schema
    .createTable("model_usage")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("time", "text", (column) => column.notNull())
    .addColumn("day", "text", (column) => column.notNull())
    .addColumn("provider", "text", (column) => column.notNull())
    .addColumn("model", "text", (column) => column.notNull())
    .addColumn("user_id", "text")
    .addColumn("team_id", "text")
    .addColumn("project_id", "text")
    .addColumn("session_id", "text")
    .addColumn("input_tokens", "integer", (column) => column.notNull())
    .addColumn("output_tokens", "integer", (column) => column.notNull())
    .addColumn("cached_input_tokens", "integer", (column) => column.notNull())
    .addColumn("reasoning_tokens", "integer", (column) => column.notNull())
    .addColumn("cost_usd", kind === "postgres" ? "double precision" : "real", (column) => column.notNull())
    .addColumn("latency_ms", "integer", (column) => column.notNull())
    .addColumn("outcome", "text", (column) => column.notNull())
    .execute()
  for (const scope of ["user_id", "team_id", "project_id", "session_id"])
    await db.schema.createIndex(`model_usage_${scope}`).on("model_usage").columns([scope, "time"]).execute()
  await db.schema.createIndex("model_usage_time").on("model_usage").column("time").execute()
  await db.schema
    .createTable("provider_setting")
    .addColumn("owner_kind", "text", (column) => column.notNull())
    .addColumn("owner_id", "text", (column) => column.notNull())
    .addColumn("provider_id", "text", (column) => column.notNull())
    .addColumn("type", "text", (column) => column.notNull())
    .addColumn("settings", kind === "postgres" ? "json" : "text", (column) => column.notNull())
    .addColumn("key_ciphertext", "text")
    .addColumn("key_hint", "text")
    .addColumn("created_at", "text", (column) => column.notNull())
    .addColumn("updated_at", "text", (column) => column.notNull())
    .addPrimaryKeyConstraint("provider_setting_pkey", ["owner_kind", "owner_id", "provider_id"])
    .execute()
}
