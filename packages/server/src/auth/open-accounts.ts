import { type AuthService, createAccounts } from "@xionimus/auth"
import { type Config, resolveDataDir } from "@xionimus/config"
import type { Logger } from "@xionimus/kit"
import { openStore } from "@xionimus/store"
import { ensureDirectory, type ServiceOptions, storeOptionsOf } from "../services.ts"

/** The accounts of a data directory, for operator commands (`xionimus user …`, `xionimus api-key …`). */
export interface Accounts {
  auth: AuthService
  close(): Promise<void>
}

/** Opens the store (applying pending migrations) and the auth service over it, without bus or workspaces. */
export async function openAccounts(
  config: Config,
  options: ServiceOptions & { logger?: Logger } = {},
): Promise<Accounts> {
  const dataDir = resolveDataDir(config, options.env ?? process.env)
  if (!config.databaseUrl) await ensureDirectory(dataDir)
  const store = await openStore(storeOptionsOf(config, dataDir, options))
  const { auth } = createAccounts(store, options.logger ? { logger: options.logger } : {})
  return { auth, close: () => store.close() }
}
