import type { Kysely } from "kysely"

/** Per-team policy: whether members must have two-factor sign-in on to reach the team's projects. */
// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not today's types
export async function createTwoFactorPolicy(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("team_policy")
    .addColumn("team_id", "text", (column) => column.primaryKey().references("team.id").onDelete("cascade"))
    .addColumn("require_two_factor", "integer", (column) => column.notNull())
    .execute()
}
