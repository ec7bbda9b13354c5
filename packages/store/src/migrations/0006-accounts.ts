import type { Kysely } from "kysely"
import type { DatabaseKind } from "../database.ts"

/**
 * Account policies: per-team settings (IP allow-list, what happens to a deleted member's sessions,
 * quota overrides set by administrators) and the sandbox CPU time each run used, per user and team
 * (the sandbox quota sums it per UTC day).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not today's types
export async function createAccountPolicies(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  const json = kind === "postgres" ? "json" : "text"
  await db.schema
    .createTable("team_setting")
    .addColumn("team_id", "text", (column) => column.primaryKey().references("team.id").onDelete("cascade"))
    .addColumn("ip_allow", json)
    .addColumn("deleted_member_sessions", "text")
    .addColumn("quotas", json)
    .addColumn("updated_at", "text", (column) => column.notNull())
    .execute()
  await db.schema
    .createTable("sandbox_usage")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("time", "text", (column) => column.notNull())
    .addColumn("user_id", "text")
    .addColumn("team_id", "text")
    .addColumn("project_id", "text", (column) => column.notNull())
    .addColumn("cpu_ms", "integer", (column) => column.notNull())
    .execute()
  for (const scope of ["user_id", "team_id"])
    await db.schema
      .createIndex(`sandbox_usage_${scope}`)
      .on("sandbox_usage")
      .columns([scope, "time"])
      .execute()
}
