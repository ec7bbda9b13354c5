import { type Kysely, sql } from "kysely"
import type { DatabaseKind } from "../database.ts"

/** Projects, with the case-folded name unique among live (not deleted) projects. */
// biome-ignore lint/suspicious/noExplicitAny: migrations see the schema as it was then, not today's types
export async function createProjects(db: Kysely<any>, kind: DatabaseKind): Promise<void> {
  await db.schema
    .createTable("project")
    .addColumn("id", "text", (column) => column.primaryKey())
    .addColumn("name", "text", (column) => column.notNull())
    .addColumn("name_key", "text", (column) => column.notNull())
    .addColumn("source", kind === "postgres" ? "json" : "text", (column) => column.notNull())
    .addColumn("created_at", "text", (column) => column.notNull())
    .addColumn("updated_at", "text", (column) => column.notNull())
    .addColumn("deleted_at", "text")
    .addColumn("purge_after", "text")
    .execute()
  await db.schema
    .createIndex("project_live_name_key")
    .on("project")
    .column("name_key")
    .unique()
    .where(sql.ref("deleted_at"), "is", null)
    .execute()
  await db.schema.createIndex("project_created_at").on("project").columns(["created_at", "id"]).execute()
  await db.schema
    .createIndex("project_purge_after")
    .on("project")
    .column("purge_after")
    .where(sql.ref("purge_after"), "is not", null)
    .execute()
}
