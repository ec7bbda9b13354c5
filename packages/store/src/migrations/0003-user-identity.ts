import type { Kysely } from "kysely"

/** Sign-in identities from OIDC providers, linked to users (one user may have several). */
// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not today's types
export async function createUserIdentity(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("user_identity")
    .addColumn("provider", "text", (column) => column.notNull())
    .addColumn("subject", "text", (column) => column.notNull())
    .addColumn("user_id", "text", (column) => column.notNull().references("app_user.id").onDelete("cascade"))
    .addColumn("email", "text")
    .addColumn("created_at", "text", (column) => column.notNull())
    .addPrimaryKeyConstraint("user_identity_key", ["provider", "subject"])
    .execute()
}
