import { redactSecret } from "@xionimus/config"
import { type CliIo, writeLine } from "../cli-io.ts"
import { loadCliConfig } from "../load-cli-config.ts"
import { loadServer } from "../server-module.ts"

export interface MigrateOptions {
  dataDir?: string
}

/** `xionimus migrate`: applies pending database migrations and lists them. */
export async function migrateCommand(options: MigrateOptions, io: CliIo): Promise<number> {
  const { config } = await loadCliConfig(io, { dataDir: options.dataDir })
  const server = await loadServer()
  const database = config.databaseUrl
    ? `PostgreSQL ${redactSecret(config.databaseUrl)}`
    : `SQLite in ${config.dataDir}`
  writeLine(io.stdout, `database: ${database}`)
  const { applied } = await server.migrateDatabase(config)
  for (const name of applied) writeLine(io.stdout, `applied ${name}`)
  const count = applied.length === 1 ? "1 migration" : `${applied.length} migrations`
  writeLine(io.stdout, applied.length === 0 ? "the database is up to date" : `applied ${count}`)
  return 0
}
