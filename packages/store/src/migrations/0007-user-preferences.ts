import type { Kysely } from "kysely"

/**
 * A user's own preferences: the model new sessions start with and the interface language
 * (null: the configuration's default model, the browser's language).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not today's types
export async function createUserPreferences(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("user_preference")
    .addColumn("user_id", "text", (column) =>
      column.primaryKey().references("app_user.id").onDelete("cascade"),
    )
    .addColumn("default_model", "text")
    .addColumn("language", "text")
    .addColumn("updated_at", "text", (column) => column.notNull())
    .execute()
}
