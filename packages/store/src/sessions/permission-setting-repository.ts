import type { PermissionMode, PermissionRule } from "@xionimus/protocol"
import type { Kysely } from "kysely"
import { type JsonCodec, toJson } from "../database.ts"
import type { SessionDb } from "./session-tables.ts"

export type PermissionSettingScope = "project" | "user"

/** A project's or a user's permission settings: the mode (null: not set here) and the rules. */
export interface PermissionSettingRecord {
  mode: PermissionMode | null
  rules: PermissionRule[]
  updatedAt: string
}

export interface PermissionSettingRepository {
  /** Undefined when nothing was ever saved for this owner. */
  get(scope: PermissionSettingScope, ownerId: string): Promise<PermissionSettingRecord | undefined>
  /** Replaces the owner's settings. */
  put(
    scope: PermissionSettingScope,
    ownerId: string,
    settings: { mode: PermissionMode | null; rules: PermissionRule[] },
  ): Promise<PermissionSettingRecord>
}

export function createPermissionSettingRepository(deps: {
  // biome-ignore lint/suspicious/noExplicitAny: the store's Kysely instance spans every package's tables
  db: Kysely<any>
  json: JsonCodec
  clock: () => Date
}): PermissionSettingRepository {
  const db = deps.db as SessionDb
  return {
    async get(scope, ownerId) {
      const row = await db
        .selectFrom("permission_setting")
        .selectAll()
        .where("scope", "=", scope)
        .where("owner_id", "=", ownerId)
        .executeTakeFirst()
      if (!row) return undefined
      return {
        mode: row.mode as PermissionMode | null,
        rules: deps.json.decode(row.rules) as PermissionRule[],
        updatedAt: row.updated_at,
      }
    },

    async put(scope, ownerId, settings) {
      const updatedAt = deps.clock().toISOString()
      const values = { mode: settings.mode, rules: toJson(settings.rules), updated_at: updatedAt }
      await db
        .insertInto("permission_setting")
        .values({ scope, owner_id: ownerId, ...values })
        .onConflict((conflict) => conflict.columns(["scope", "owner_id"]).doUpdateSet(values))
        .execute()
      return { mode: settings.mode, rules: settings.rules, updatedAt }
    },
  }
}
