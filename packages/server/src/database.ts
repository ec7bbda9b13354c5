import type { Config } from "@xionimus/config"
import { resolveDataDir } from "@xionimus/config"
import { openStore } from "@xionimus/store"
import { ensureDirectory, type ServiceOptions, storeOptionsOf } from "./services.ts"

/** Applies pending migrations (`xionimus migrate`); raises DB_TOO_NEW when the database is ahead. */
export async function migrateDatabase(
  config: Config,
  options: ServiceOptions = {},
): Promise<{ applied: string[] }> {
  const dataDir = resolveDataDir(config, options.env ?? process.env)
  if (!config.databaseUrl) await ensureDirectory(dataDir)
  const store = await openStore({ ...storeOptionsOf(config, dataDir, options), migrate: false })
  try {
    return await store.migrate()
  } finally {
    await store.close()
  }
}

/** Checks that the database answers (`xionimus doctor`); raises DB_UNREACHABLE when it does not. */
export async function checkDatabase(config: Config, options: ServiceOptions = {}): Promise<void> {
  const dataDir = resolveDataDir(config, options.env ?? process.env)
  if (!config.databaseUrl) await ensureDirectory(dataDir)
  const store = await openStore({ ...storeOptionsOf(config, dataDir, options), migrate: false })
  try {
    await store.ping()
  } finally {
    await store.close()
  }
}
