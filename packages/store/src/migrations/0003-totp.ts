import type { Kysely } from "kysely"

/** Second factor: one TOTP secret per user (pending until confirmed) and hashed one-time recovery codes. */
// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not today's types
export async function createTotp(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("totp_factor")
    .addColumn("user_id", "text", (column) =>
      column.primaryKey().references("app_user.id").onDelete("cascade"),
    )
    .addColumn("secret", "text", (column) => column.notNull())
    .addColumn("created_at", "text", (column) => column.notNull())
    .addColumn("enabled_at", "text")
    // The last time step accepted: a code is never accepted twice (replay).
    .addColumn("last_step", "integer")
    .execute()
  await db.schema
    .createTable("recovery_code")
    .addColumn("code_hash", "text", (column) => column.primaryKey())
    .addColumn("user_id", "text", (column) => column.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("used_at", "text")
    .execute()
  await db.schema.createIndex("recovery_code_user").on("recovery_code").column("user_id").execute()
}
