import { AppError } from "@xionimus/kit"
import type { Kysely, Selectable } from "kysely"
import { type JsonCodec, toJson } from "../database.ts"
import type { UsageDb, UsageTables } from "./usage-tables.ts"
import type { ProviderSettingRecord, ProviderSettingRepository } from "./usage-types.ts"

export function createProviderSettingRepository(deps: {
  // biome-ignore lint/suspicious/noExplicitAny: the store's Kysely instance spans every package's tables
  db: Kysely<any>
  json: JsonCodec
  clock: () => Date
}): ProviderSettingRepository {
  const db = deps.db as UsageDb
  const toRecord = (row: Selectable<UsageTables["provider_setting"]>): ProviderSettingRecord => ({
    ownerKind: row.owner_kind as "user" | "team",
    ownerId: row.owner_id,
    providerId: row.provider_id,
    type: row.type,
    settings: deps.json.decode(row.settings) as ProviderSettingRecord["settings"],
    keyCiphertext: row.key_ciphertext,
    keyHint: row.key_hint,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  })
  const find = (ownerKind: string, ownerId: string, providerId: string) =>
    db
      .selectFrom("provider_setting")
      .selectAll()
      .where("owner_kind", "=", ownerKind)
      .where("owner_id", "=", ownerId)
      .where("provider_id", "=", providerId)
      .executeTakeFirst()
  return {
    async put(input) {
      const now = deps.clock().toISOString()
      return db.transaction().execute(async (transaction) => {
        const existing = await transaction
          .selectFrom("provider_setting")
          .selectAll()
          .where("owner_kind", "=", input.ownerKind)
          .where("owner_id", "=", input.ownerId)
          .where("provider_id", "=", input.providerId)
          .executeTakeFirst()
        const key =
          input.key === undefined
            ? { key_ciphertext: existing?.key_ciphertext ?? null, key_hint: existing?.key_hint ?? null }
            : { key_ciphertext: input.key?.ciphertext ?? null, key_hint: input.key?.hint ?? null }
        const values = { type: input.type, settings: toJson(input.settings), ...key, updated_at: now }
        if (existing) {
          await transaction
            .updateTable("provider_setting")
            .set(values)
            .where("owner_kind", "=", input.ownerKind)
            .where("owner_id", "=", input.ownerId)
            .where("provider_id", "=", input.providerId)
            .execute()
        } else {
          await transaction
            .insertInto("provider_setting")
            .values({
              owner_kind: input.ownerKind,
              owner_id: input.ownerId,
              provider_id: input.providerId,
              created_at: now,
              ...values,
            })
            .execute()
        }
        const row = await transaction
          .selectFrom("provider_setting")
          .selectAll()
          .where("owner_kind", "=", input.ownerKind)
          .where("owner_id", "=", input.ownerId)
          .where("provider_id", "=", input.providerId)
          .executeTakeFirstOrThrow()
        return toRecord(row)
      })
    },
    async get(ownerKind, ownerId, providerId) {
      const row = await find(ownerKind, ownerId, providerId)
      return row ? toRecord(row) : undefined
    },
    async list(ownerKind, ownerId) {
      const rows = await db
        .selectFrom("provider_setting")
        .selectAll()
        .where("owner_kind", "=", ownerKind)
        .where("owner_id", "=", ownerId)
        .orderBy("provider_id")
        .execute()
      return rows.map(toRecord)
    },
    async remove(ownerKind, ownerId, providerId) {
      const result = await db
        .deleteFrom("provider_setting")
        .where("owner_kind", "=", ownerKind)
        .where("owner_id", "=", ownerId)
        .where("provider_id", "=", providerId)
        .executeTakeFirst()
      if (Number(result.numDeletedRows) === 0)
        throw new AppError(
          "PROVIDER_NOT_FOUND",
          `No stored provider "${providerId}"; list them to see the ids.`,
          {
            providerId,
          },
        )
    },
  }
}
