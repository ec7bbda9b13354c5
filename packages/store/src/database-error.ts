import { AppError, fromSystemError, isAppError } from "@xionimus/kit"

interface DriverError {
  /** Node errno code (ECONNREFUSED), PostgreSQL SQLSTATE (23505) or node:sqlite's ERR_SQLITE_ERROR. */
  code?: string
  /** SQLite's extended result code. */
  errcode?: number
  /** PostgreSQL: the violated constraint or index. */
  constraint?: string
  message?: string
}

/** A unique index or constraint, named the way each database reports a violation of it. */
export interface UniqueConstraint {
  /** The index name PostgreSQL reports. */
  name: string
  table: string
  /** The columns SQLite reports ("UNIQUE constraint failed: table.a, table.b"). */
  columns: string[]
}

const sqliteConstraintUnique = 2067
const sqliteConstraintPrimaryKey = 1555

export function isUniqueViolation(error: unknown, constraint: UniqueConstraint): boolean {
  const driverError = error as DriverError | undefined
  if (driverError?.code === "23505") return driverError.constraint === constraint.name
  if (
    driverError?.code === "ERR_SQLITE_ERROR" &&
    (driverError.errcode === sqliteConstraintUnique || driverError.errcode === sqliteConstraintPrimaryKey)
  ) {
    const columns = constraint.columns.map((column) => `${constraint.table}.${column}`).join(", ")
    return driverError.message === `UNIQUE constraint failed: ${columns}`
  }
  return false
}

const networkCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
])
/** pg reports a dropped or never-made connection in words, without a code. */
const pgConnectionMessage =
  /connection terminated|timeout exceeded when trying to connect|not queryable|connection error/i

const sqliteBusy = 5
const sqliteReadOnly = 8
const sqliteFull = 13
const sqliteCantOpen = 14

/**
 * Maps what the drivers throw to our stable codes: unreachable database → DB_UNREACHABLE, full or
 * read-only storage → DISK_FULL / READ_ONLY_STORAGE (via kit's fromSystemError). Anything else is
 * returned as it is, for the edge to report as INTERNAL.
 */
export function translateDatabaseError(error: unknown, context: Record<string, unknown> = {}): unknown {
  if (isAppError(error)) return error
  const driverError = error as DriverError | undefined
  const code = driverError?.code
  if (code === "ERR_SQLITE_ERROR") return translateSqliteError(error, driverError?.errcode ?? 0, context)
  if ((code && networkCodes.has(code)) || pgConnectionMessage.test(driverError?.message ?? ""))
    return unreachable(
      "PostgreSQL does not answer. Check that it runs and that the database URL is right.",
      error,
    )
  if (code?.startsWith("08") || code?.startsWith("57P"))
    return unreachable("The connection to PostgreSQL broke off. Check the server and retry.", error)
  if (code?.startsWith("28") || code === "3D000")
    return unreachable(
      `PostgreSQL refused the connection (${driverError?.message}). Check the user, password and database name.`,
      error,
    )
  if (code === "53100") return fromSystemError({ code: "ENOSPC", cause: error }, context) ?? error
  if (code === "25006") return fromSystemError({ code: "EROFS", cause: error }, context) ?? error
  return fromSystemError(error, context) ?? error
}

function translateSqliteError(error: unknown, errcode: number, context: Record<string, unknown>): unknown {
  // Extended result codes carry the primary code in their low byte.
  switch (errcode & 0xff) {
    case sqliteFull:
      return fromSystemError({ code: "ENOSPC", cause: error }, context) ?? error
    case sqliteReadOnly:
      return fromSystemError({ code: "EROFS", cause: error }, context) ?? error
    case sqliteCantOpen:
      return unreachable(
        "The SQLite database file cannot be opened. Check that the data directory exists and is writable.",
        error,
      )
    case sqliteBusy:
      return unreachable(
        "The SQLite database stayed locked by another process for 5 s. Stop the other Xionimus using this data directory.",
        error,
      )
    default:
      return error
  }
}

function unreachable(message: string, cause: unknown): AppError {
  return new AppError("DB_UNREACHABLE", message, undefined, { cause })
}
