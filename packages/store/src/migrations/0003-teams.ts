import type { Kysely } from "kysely"

/**
 * Teams own projects; members hold one role per team. An explicit per-member deny on a project wins over
 * the team role. Invitations carry a hashed one-time token and an expiry.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not today's types
export async function createTeams(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("team")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("name", "text", (column) => column.notNull())
    .addColumn("created_at", "text", (column) => column.notNull())
    .execute()
  await db.schema
    .createTable("team_member")
    .addColumn("team_id", "text", (column) => column.notNull().references("team.id").onDelete("cascade"))
    .addColumn("user_id", "text", (column) => column.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("role", "text", (column) => column.notNull())
    .addColumn("created_at", "text", (column) => column.notNull())
    .addPrimaryKeyConstraint("team_member_key", ["team_id", "user_id"])
    .execute()
  await db.schema.createIndex("team_member_user").on("team_member").column("user_id").execute()
  // A project's team; projects made before teams existed are adopted by the owner's team.
  await db.schema
    .createTable("project_team")
    .addColumn("project_id", "text", (column) =>
      column.primaryKey().references("project.id").onDelete("cascade"),
    )
    .addColumn("team_id", "text", (column) => column.notNull().references("team.id").onDelete("cascade"))
    .execute()
  await db.schema.createIndex("project_team_team").on("project_team").column("team_id").execute()
  await db.schema
    .createTable("project_deny")
    .addColumn("project_id", "text", (column) =>
      column.notNull().references("project.id").onDelete("cascade"),
    )
    .addColumn("user_id", "text", (column) => column.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("created_at", "text", (column) => column.notNull())
    .addPrimaryKeyConstraint("project_deny_key", ["project_id", "user_id"])
    .execute()
  await db.schema
    .createTable("team_invitation")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("token_hash", "text", (column) => column.notNull().unique())
    .addColumn("team_id", "text", (column) => column.notNull().references("team.id").onDelete("cascade"))
    .addColumn("email", "text", (column) => column.notNull())
    .addColumn("role", "text", (column) => column.notNull())
    .addColumn("created_by", "text", (column) => column.notNull())
    .addColumn("created_at", "text", (column) => column.notNull())
    .addColumn("expires_at", "text", (column) => column.notNull())
    .addColumn("accepted_at", "text")
    .execute()
}
