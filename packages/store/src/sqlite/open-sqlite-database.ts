import { mkdirSync } from "node:fs"
import { dirname } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { AppError, fromSystemError } from "@xionimus/kit"
import { translateDatabaseError } from "../database-error.ts"

/**
 * Opens the SQLite file (creating its directory) with the settings every connection needs:
 * WAL so readers never block the writer, a 5 s busy wait for another process' write lock,
 * foreign keys on, and NORMAL sync (durable across a process crash; WAL keeps it consistent
 * across a power loss).
 */
export function openSqliteDatabase(path: string): DatabaseSync {
  if (path !== ":memory:") {
    try {
      mkdirSync(dirname(path), { recursive: true })
    } catch (error) {
      throw (
        fromSystemError(error, { path: dirname(path) }) ??
        new AppError(
          "DB_UNREACHABLE",
          `The directory of the SQLite file cannot be created (${(error as Error).message}). Choose another data directory.`,
          { path: dirname(path) },
          { cause: error },
        )
      )
    }
  }
  let database: DatabaseSync | undefined
  try {
    database = new DatabaseSync(path)
    database.exec("pragma busy_timeout = 5000")
    database.exec("pragma journal_mode = wal")
    database.exec("pragma synchronous = normal")
    database.exec("pragma foreign_keys = on")
    return database
  } catch (error) {
    if (database?.isOpen) database.close()
    throw translateDatabaseError(error, { path })
  }
}
