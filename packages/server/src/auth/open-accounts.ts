import { join } from "node:path"
import { type Actor, type AuthService, createAccounts, type TeamService } from "@xionimus/auth"
import { type Config, resolveDataDir } from "@xionimus/config"
import { type Logger, silentLogger } from "@xionimus/kit"
import { openStore, type Store } from "@xionimus/store"
import { createQuotaService, type QuotaService } from "../quotas/quota-service.ts"
import { createKeyringBox, type KeyringBox } from "../secrets/keyring-box.ts"
import { ensureDirectory, type ServiceOptions, storeOptionsOf } from "../services.ts"
import { type DeletionOutcome, deleteAccount } from "./account-deletion.ts"

/** The accounts of a data directory, for operator commands (`xionimus user …`, `xionimus api-key …`). */
export interface Accounts {
  auth: AuthService
  teams: TeamService
  quotas: QuotaService
  store: Store
  /** The resolved data directory (the secrets keyring lives there). */
  dataDir: string
  /** Seals and opens stored secrets with the keyring. */
  secrets: KeyringBox
  /** Deletes an account as DELETE /api/users/:userId does (LAST_ADMIN, LAST_OWNER). */
  deleteUser(userId: string, actor: Actor): Promise<DeletionOutcome>
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
  const secrets = createKeyringBox(config.secretsKey, dataDir)
  const { auth, teams } = createAccounts(store, {
    sealer: secrets,
    ...(options.logger ? { logger: options.logger } : {}),
  })
  const quotas = createQuotaService({ config, store, workspacesRoot: join(dataDir, "workspaces") })
  const deleteUser = (userId: string, actor: Actor) =>
    deleteAccount(
      {
        store,
        auth,
        teams,
        logger: options.logger ?? silentLogger(),
        purgeAfterDays: config.projects.purgeAfterDays,
      },
      userId,
      actor,
    )
  return { auth, teams, quotas, store, dataDir, secrets, deleteUser, close: () => store.close() }
}
