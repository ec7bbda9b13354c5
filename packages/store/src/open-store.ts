import { AppError, silentLogger } from "@xionimus/kit"
import { type Dialect, Kysely, PostgresDialect, sql } from "kysely"
import { createAccountPolicyRepository } from "./auth/account-policy-repository.ts"
import { createAccountSettingsRepository } from "./auth/account-settings-repository.ts"
import { createAuthRepository } from "./auth/auth-repository.ts"
import { createIdentityRepository } from "./auth/identity-repository.ts"
import { createTeamRepository } from "./auth/team-repository.ts"
import { createTotpRepository } from "./auth/totp-repository.ts"
import { type Database, type DatabaseKind, jsonCodec } from "./database.ts"
import { translateDatabaseError } from "./database-error.ts"
import { createEventRepository } from "./event-repository.ts"
import { createProviderSettingRepository } from "./llm/provider-setting-repository.ts"
import { createUsageRepository } from "./llm/usage-repository.ts"
import { migrate } from "./migrate.ts"
import { createPostgresPool } from "./postgres/create-postgres-pool.ts"
import { createProjectRepository } from "./project-repository.ts"
import { createPermissionSettingRepository } from "./sessions/permission-setting-repository.ts"
import { createSessionRepository } from "./sessions/session-repository.ts"
import { NodeSqliteDialect } from "./sqlite/node-sqlite-dialect.ts"
import { openSqliteDatabase } from "./sqlite/open-sqlite-database.ts"
import { translateErrors } from "./translate-errors.ts"
import type { Store, StoreOptions } from "./types.ts"

const postgresUrl = /^postgres(ql)?:\/\//

/**
 * Opens the store: PostgreSQL when `databaseUrl` is a postgres:// URL, else SQLite at `sqlitePath`.
 * Checks the connection and (unless `migrate: false`) applies pending migrations before resolving.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const logger = options.logger ?? silentLogger()
  const clock = options.clock ?? (() => new Date())
  let kind: DatabaseKind
  let dialect: Dialect
  let schema: string | undefined
  if (options.databaseUrl !== undefined) {
    if (!postgresUrl.test(options.databaseUrl))
      throw new AppError("CONFIG_INVALID", "The database URL must start with postgres:// or postgresql://.")
    kind = "postgres"
    schema = options.schema ?? "public"
    const pool = await createPostgresPool({
      url: options.databaseUrl,
      schema,
      poolSize: options.poolSize ?? 10,
      logger,
    })
    dialect = new PostgresDialect({ pool })
  } else if (options.sqlitePath !== undefined) {
    kind = "sqlite"
    dialect = new NodeSqliteDialect(openSqliteDatabase(options.sqlitePath))
  } else {
    throw new AppError("CONFIG_INVALID", "Give the store a postgres:// database URL or a SQLite file path.")
  }

  const db = new Kysely<Database>({ dialect })
  const translate = (error: unknown) => translateDatabaseError(error, { kind })
  const deps = { db, json: jsonCodec(kind), clock }
  let closed: Promise<void> | undefined
  const store: Store = {
    kind,
    projects: translateErrors(createProjectRepository(deps), translate),
    events: translateErrors(createEventRepository(deps), translate),
    auth: translateErrors(createAuthRepository(deps), translate),
    teams: translateErrors(createTeamRepository(deps), translate),
    totp: translateErrors(createTotpRepository(deps), translate),
    identities: translateErrors(createIdentityRepository(deps), translate),
    usage: translateErrors(createUsageRepository(deps), translate),
    providerSettings: translateErrors(createProviderSettingRepository(deps), translate),
    sessions: translateErrors(createSessionRepository(deps), translate),
    permissionSettings: translateErrors(createPermissionSettingRepository(deps), translate),
    accountPolicies: translateErrors(createAccountPolicyRepository({ ...deps, kind }), translate),
    accountSettings: translateErrors(createAccountSettingsRepository(deps), translate),
    migrate: () => migrate({ db, kind, ...(schema ? { schema } : {}) }),
    async ping() {
      try {
        await sql`select 1`.execute(db)
      } catch (error) {
        throw translate(error)
      }
    },
    close() {
      closed ??= db.destroy()
      return closed
    },
  }
  try {
    await store.ping()
    if (options.migrate !== false) await store.migrate()
  } catch (error) {
    await store.close().catch(() => {})
    throw error
  }
  return store
}
