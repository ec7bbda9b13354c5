import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite"
import type { CompiledQuery, DatabaseConnection, QueryResult } from "kysely"

const statementCacheSize = 256

interface Prepared {
  statement: StatementSync
  /** Whether the statement yields rows (SELECT, PRAGMA, … RETURNING): decided by `columns()`. */
  returnsRows: boolean
}

/** Runs Kysely's compiled queries on a `DatabaseSync`, reusing prepared statements. */
export class NodeSqliteConnection implements DatabaseConnection {
  readonly #database: DatabaseSync
  /** Insertion order is use order: the first key is the least recently used. */
  readonly #statements = new Map<string, Prepared>()

  constructor(database: DatabaseSync) {
    this.#database = database
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { statement, returnsRows } = this.#prepare(compiledQuery.sql)
    const parameters = compiledQuery.parameters.map(toSqliteValue)
    if (returnsRows) return { rows: statement.all(...parameters) as R[] }
    const { changes, lastInsertRowid } = statement.run(...parameters)
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) }
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { statement } = this.#prepare(compiledQuery.sql)
    for (const row of statement.iterate(...compiledQuery.parameters.map(toSqliteValue)))
      yield { rows: [row as R] }
  }

  #prepare(sql: string): Prepared {
    const cached = this.#statements.get(sql)
    if (cached) {
      this.#statements.delete(sql)
      this.#statements.set(sql, cached)
      return cached
    }
    const statement = this.#database.prepare(sql)
    const prepared = { statement, returnsRows: statement.columns().length > 0 }
    this.#statements.set(sql, prepared)
    if (this.#statements.size > statementCacheSize) {
      const oldest = this.#statements.keys().next().value
      if (oldest !== undefined) this.#statements.delete(oldest)
    }
    return prepared
  }
}

function toSqliteValue(value: unknown): SQLInputValue {
  if (value === undefined) return null
  if (typeof value === "boolean") return value ? 1 : 0
  if (value instanceof Date) return value.toISOString()
  return value as SQLInputValue
}
