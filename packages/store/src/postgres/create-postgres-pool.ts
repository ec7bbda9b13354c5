import { AppError, type Logger } from "@xionimus/kit"
import pg from "pg"
import { translateDatabaseError } from "../database-error.ts"

const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/

export interface PostgresPoolOptions {
  url: string
  schema: string
  poolSize: number
  logger: Logger
}

/**
 * A pg Pool whose every connection works in `schema` (search_path set in the startup packet, so
 * no query can run before it), after making sure the schema exists.
 */
export async function createPostgresPool(options: PostgresPoolOptions): Promise<pg.Pool> {
  if (!schemaPattern.test(options.schema))
    throw new AppError(
      "CONFIG_INVALID",
      `The PostgreSQL schema "${options.schema}" is not allowed: use lower-case letters, digits and _ (at most 63).`,
      { schema: options.schema },
    )
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: 10_000,
    options: `-c search_path=${options.schema}`,
  })
  // An idle connection that breaks emits here; without a listener the process would crash.
  pool.on("error", (error) => options.logger.warn({ err: error }, "an idle PostgreSQL connection failed"))
  try {
    if (options.schema !== "public") await createSchema(pool, options.schema)
    return pool
  } catch (error) {
    await pool.end().catch(() => {})
    throw translateDatabaseError(error)
  }
}

async function createSchema(pool: pg.Pool, schema: string): Promise<void> {
  try {
    await pool.query(`create schema if not exists "${schema}"`)
  } catch (error) {
    // Two nodes creating it at once: "if not exists" does not stop the loser's unique violation.
    const code = (error as { code?: string }).code
    if (code !== "23505" && code !== "42P06") throw error
  }
}
