import type { Kysely } from "kysely"

export interface TotpFactorRecord {
  userId: string
  /** Base32; kept readable because verifying needs it (encryption at rest comes with key rotation). */
  secret: string
  createdAt: string
  enabledAt: string | null
  lastStep: number | null
}

/** TOTP factors and recovery codes (hashed). */
export interface TotpRepository {
  get(userId: string): Promise<TotpFactorRecord | undefined>
  /** Replaces any pending (not enabled) factor of the user. */
  savePending(input: { userId: string; secret: string; createdAt: string }): Promise<void>
  /** Enables the pending factor and stores the recovery codes' hashes, replacing older ones. */
  enable(userId: string, at: string, step: number, recoveryHashes: string[]): Promise<void>
  /** Records `step` as used when it is newer than the last one; false means it was used (replay). */
  useStep(userId: string, step: number): Promise<boolean>
  /** Marks an unused recovery code used; false when unknown or used. */
  useRecoveryCode(userId: string, codeHash: string, at: string): Promise<boolean>
  remove(userId: string): Promise<void>
}

interface TotpTables {
  totp_factor: {
    user_id: string
    secret: string
    created_at: string
    enabled_at: string | null
    last_step: number | null
  }
  recovery_code: { code_hash: string; user_id: string; used_at: string | null }
}

// biome-ignore lint/suspicious/noExplicitAny: the store's Database type does not list these tables
export function createTotpRepository(deps: { db: Kysely<any> }): TotpRepository {
  const db = deps.db as Kysely<TotpTables>
  return {
    async get(userId) {
      const row = await db
        .selectFrom("totp_factor")
        .selectAll()
        .where("user_id", "=", userId)
        .executeTakeFirst()
      return (
        row && {
          userId: row.user_id,
          secret: row.secret,
          createdAt: row.created_at,
          enabledAt: row.enabled_at,
          lastStep: row.last_step === null ? null : Number(row.last_step),
        }
      )
    },
    async savePending(input) {
      await db
        .deleteFrom("totp_factor")
        .where("user_id", "=", input.userId)
        .where("enabled_at", "is", null)
        .execute()
      await db
        .insertInto("totp_factor")
        .values({
          user_id: input.userId,
          secret: input.secret,
          created_at: input.createdAt,
          enabled_at: null,
          last_step: null,
        })
        .execute()
    },
    async enable(userId, at, step, recoveryHashes) {
      await db.transaction().execute(async (transaction) => {
        await transaction
          .updateTable("totp_factor")
          .set({ enabled_at: at, last_step: step })
          .where("user_id", "=", userId)
          .execute()
        await transaction.deleteFrom("recovery_code").where("user_id", "=", userId).execute()
        if (recoveryHashes.length > 0) {
          await transaction
            .insertInto("recovery_code")
            .values(
              recoveryHashes.map((codeHash) => ({ code_hash: codeHash, user_id: userId, used_at: null })),
            )
            .execute()
        }
      })
    },
    async useStep(userId, step) {
      const result = await db
        .updateTable("totp_factor")
        .set({ last_step: step })
        .where("user_id", "=", userId)
        .where((eb) => eb.or([eb("last_step", "is", null), eb("last_step", "<", step)]))
        .executeTakeFirst()
      return Number(result.numUpdatedRows) > 0
    },
    async useRecoveryCode(userId, codeHash, at) {
      const result = await db
        .updateTable("recovery_code")
        .set({ used_at: at })
        .where("user_id", "=", userId)
        .where("code_hash", "=", codeHash)
        .where("used_at", "is", null)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) > 0
    },
    async remove(userId) {
      await db.transaction().execute(async (transaction) => {
        await transaction.deleteFrom("totp_factor").where("user_id", "=", userId).execute()
        await transaction.deleteFrom("recovery_code").where("user_id", "=", userId).execute()
      })
    },
  }
}
