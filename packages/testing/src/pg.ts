import { randomBytes } from "node:crypto"
import pg from "pg"

/** PostgreSQL for tests: XIONIMUS_TEST_DATABASE_URL, else the local server's `test` database. */
export function testDatabaseUrl(): string {
  return process.env.XIONIMUS_TEST_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/test"
}

export interface TestSchema {
  url: string
  /** `xt_<random>`: pass it as StoreOptions.schema (the store creates it). */
  schema: string
  /** Runs one statement with this schema first on the search path. */
  query<Row extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<Row[]>
  /** Drops the schema with everything in it. */
  drop(): Promise<void>
}

/** A schema name of its own for one test run; nothing is created until the store opens it. */
export function createTestSchema(url = testDatabaseUrl()): TestSchema {
  const schema = `xt_${randomBytes(6).toString("hex")}`
  async function withClient<T>(use: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` })
    await client.connect()
    try {
      return await use(client)
    } finally {
      await client.end()
    }
  }
  return {
    url,
    schema,
    query: (text, values) => withClient(async (client) => (await client.query(text, values)).rows),
    drop: () =>
      withClient(async (client) => void (await client.query(`drop schema if exists "${schema}" cascade`))),
  }
}
