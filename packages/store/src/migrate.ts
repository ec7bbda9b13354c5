import { AppError, isAppError } from "@xionimus/kit"
import { type Kysely, sql } from "kysely"
import { Migrator } from "kysely/migration"
import type { DatabaseKind } from "./database.ts"
import { translateDatabaseError } from "./database-error.ts"
import { migrationLockTable, migrations, migrationTable } from "./migrations/index.ts"

export interface MigrateTarget {
  // biome-ignore lint/suspicious/noExplicitAny: the migrator works below our table types
  db: Kysely<any>
  kind: DatabaseKind
  /** PostgreSQL schema holding the tables (and the migration tables). */
  schema?: string
}

/**
 * Applies pending migrations with Kysely's Migrator: under its lock (PostgreSQL: an advisory lock;
 * SQLite: the one connection plus a BEGIN IMMEDIATE transaction), all in one transaction.
 * A database that knows migrations this code does not is left untouched: DB_TOO_NEW.
 */
export async function migrate(target: MigrateTarget): Promise<{ applied: string[] }> {
  const known = migrations(target.kind)
  await refuseNewerDatabase(target, Object.keys(known))
  const migrator = new Migrator({
    db: target.db,
    provider: { getMigrations: async () => known },
    migrationTableName: migrationTable,
    migrationLockTableName: migrationLockTable,
    // Without a schema Kysely would take a migration table in any schema for ours.
    ...(target.kind === "postgres" ? { migrationTableSchema: target.schema ?? "public" } : {}),
  })
  const { error, results = [] } = await migrator.migrateToLatest()
  if (error !== undefined) {
    // Another node may have applied newer migrations between our check and the lock.
    await refuseNewerDatabase(target, Object.keys(known))
    const translated = translateDatabaseError(error)
    if (isAppError(translated)) throw translated
    const failed = results.find((result) => result.status === "Error")?.migrationName
    const reason = error instanceof Error ? error.message : String(error)
    throw new AppError(
      "DB_MIGRATION_FAILED",
      failed
        ? `Database migration ${failed} failed: ${reason}. The database was left as it was before it.`
        : `Database migrations could not run: ${reason}.`,
      { migration: failed, reason },
      { cause: error },
    )
  }
  return {
    applied: results.filter((result) => result.status === "Success").map((result) => result.migrationName),
  }
}

async function refuseNewerDatabase(target: MigrateTarget, known: string[]): Promise<void> {
  const applied = await appliedMigrations(target)
  const unknown = applied.filter((name) => !known.includes(name)).sort()
  if (unknown.length === 0) return
  throw new AppError(
    "DB_TOO_NEW",
    `This database was written by a newer version of Xionimus (it holds migrations this version does not know: ${unknown.join(", ")}). Upgrade Xionimus, or point it at another database or data directory. Nothing was changed.`,
    { unknownMigrations: unknown },
  )
}

/** Names recorded in the migration table; none when the table does not exist yet. */
async function appliedMigrations(target: MigrateTarget): Promise<string[]> {
  try {
    const exists =
      target.kind === "postgres"
        ? await sql<{
            found: string | null
          }>`select to_regclass(${`"${target.schema ?? "public"}"."${migrationTable}"`}) as found`
            .execute(target.db)
            .then(({ rows }) => rows[0]?.found != null)
        : await sql<{
            name: string
          }>`select name from sqlite_master where type = 'table' and name = ${migrationTable}`
            .execute(target.db)
            .then(({ rows }) => rows.length > 0)
    if (!exists) return []
    const table = target.kind === "postgres" ? target.db.withSchema(target.schema ?? "public") : target.db
    const rows = await table.selectFrom(migrationTable).select("name").execute()
    return rows.map((row) => String(row.name))
  } catch (error) {
    throw translateDatabaseError(error)
  }
}
