import { newId } from "@xionimus/kit"
import { type Kysely, sql } from "kysely"
import { type DatabaseKind, type JsonCodec, toJson } from "../database.ts"

export type DeletedMemberSessions = "delete" | "transfer"

/** A team's own settings; null fields mean "the default" (no allow-list, delete, configured quotas). */
export interface TeamSettingRecord {
  teamId: string
  /** Addresses and CIDRs members may sign in and work from; null = anywhere. */
  ipAllow: string[] | null
  /** What happens to the agent sessions of a member whose account is deleted. */
  deletedMemberSessions: DeletedMemberSessions | null
  /** Quota overrides set by administrators: a number replaces the configured limit, null lifts it. */
  quotas: Record<string, number | null> | null
}

/** A stored ciphertext: where it lives, and the associated data it was sealed with. */
export interface SealedSecret {
  kind: "provider-key" | "totp-secret"
  /** The row: `owner_kind:owner_id:provider_id` for provider keys, the user id for TOTP secrets. */
  id: string
  /** What the ciphertext was bound to (associated data). */
  context: string
  ciphertext: string
}

/** An agent session a user created (the `session` table, when it exists). */
export interface CreatedSession {
  id: string
  projectId: string
  title: string
}

/**
 * Team settings, sandbox CPU time per run, account deletion and re-encryption of stored secrets.
 * The agent's `session` table is optional here: without it, the session methods answer null.
 */
export interface AccountPolicyRepository {
  teamSetting(teamId: string): Promise<TeamSettingRecord>
  /** Changes the given fields only. */
  updateTeamSetting(
    teamId: string,
    patch: Partial<Omit<TeamSettingRecord, "teamId">>,
  ): Promise<TeamSettingRecord>
  recordSandboxUsage(entry: {
    userId: string | null
    teamId: string | null
    projectId: string
    cpuMs: number
  }): Promise<void>
  /** Every project the team owns (deleted ones too: their workspaces take space until purged). */
  teamProjectIds(teamId: string): Promise<string[]>
  /**
   * Model spend (US dollars) since `from` billed to the team: calls carrying its id, and calls in its
   * projects (the agent's calls name the project, not the team).
   */
  teamModelSpend(teamId: string, from: string): Promise<number>
  /** CPU milliseconds of runs since `from` by the user or team. */
  sandboxCpuMs(filter: { userId?: string; teamId?: string; from: string }): Promise<number>
  /**
   * Deletes the user: their row, and with it (foreign keys) sign-in sessions, keys, reset tokens, TOTP,
   * recovery codes, identities, memberships and denies; and their own provider settings. Audit entries stay.
   */
  deleteUser(userId: string): Promise<void>
  /** The agent sessions the user created; null when this database has no session table yet. */
  sessionsCreatedBy(userId: string): Promise<CreatedSession[] | null>
  /** Hands the sessions over to another user. */
  transferSessions(ids: readonly string[], toUserId: string): Promise<void>
  /** Every ciphertext stored at rest. */
  sealedSecrets(): Promise<SealedSecret[]>
  /** Replaces one ciphertext if it is still `previous` (a concurrent change wins); whether it was replaced. */
  replaceSealed(secret: SealedSecret, ciphertext: string): Promise<boolean>
}

interface PolicyTables {
  team_setting: {
    team_id: string
    ip_allow: unknown
    deleted_member_sessions: string | null
    quotas: unknown
    updated_at: string
  }
  sandbox_usage: {
    id: string
    time: string
    user_id: string | null
    team_id: string | null
    project_id: string
    cpu_ms: number
  }
  app_user: { id: string }
  project_team: { project_id: string; team_id: string }
  model_usage: { time: string; team_id: string | null; project_id: string | null; cost_usd: number }
  provider_setting: {
    owner_kind: string
    owner_id: string
    provider_id: string
    key_ciphertext: string | null
  }
  totp_factor: { user_id: string; secret: string }
  session: { id: string; project_id: string; title: string; created_by: string | null }
}

export function createAccountPolicyRepository(deps: {
  // biome-ignore lint/suspicious/noExplicitAny: the store's Kysely instance spans every package's tables
  db: Kysely<any>
  json: JsonCodec
  clock: () => Date
  kind: DatabaseKind
}): AccountPolicyRepository {
  const db = deps.db as Kysely<PolicyTables>
  const decode = (raw: unknown) => (raw === null || raw === undefined ? null : deps.json.decode(raw))

  async function hasSessionTable(): Promise<boolean> {
    const query =
      deps.kind === "sqlite"
        ? sql<{
            found: number
          }>`select 1 as found from sqlite_master where type = 'table' and name = 'session'`
        : sql<{
            found: number
          }>`select 1 as found from information_schema.tables where table_schema = current_schema() and table_name = 'session'`
    return (await query.execute(db)).rows.length > 0
  }

  const policies: AccountPolicyRepository = {
    async teamSetting(teamId) {
      const row = await db
        .selectFrom("team_setting")
        .selectAll()
        .where("team_id", "=", teamId)
        .executeTakeFirst()
      return {
        teamId,
        ipAllow: (decode(row?.ip_allow) as string[] | null) ?? null,
        deletedMemberSessions: (row?.deleted_member_sessions as DeletedMemberSessions | null) ?? null,
        quotas: (decode(row?.quotas) as TeamSettingRecord["quotas"]) ?? null,
      }
    },
    async updateTeamSetting(teamId, patch) {
      const updatedAt = deps.clock().toISOString()
      const current = await policies.teamSetting(teamId)
      const next = { ...current, ...patch }
      const values = {
        ip_allow: next.ipAllow === null ? null : toJson(next.ipAllow),
        deleted_member_sessions: next.deletedMemberSessions,
        quotas: next.quotas === null ? null : toJson(next.quotas),
        updated_at: updatedAt,
      }
      await db
        .insertInto("team_setting")
        .values({ team_id: teamId, ...values })
        .onConflict((conflict) => conflict.column("team_id").doUpdateSet(values))
        .execute()
      return next
    },
    async recordSandboxUsage(entry) {
      await db
        .insertInto("sandbox_usage")
        .values({
          id: newId("sbu"),
          time: deps.clock().toISOString(),
          user_id: entry.userId,
          team_id: entry.teamId,
          project_id: entry.projectId,
          cpu_ms: Math.round(entry.cpuMs),
        })
        .execute()
    },
    async teamProjectIds(teamId) {
      const rows = await db
        .selectFrom("project_team")
        .select("project_id")
        .where("team_id", "=", teamId)
        .orderBy("project_id")
        .execute()
      return rows.map((row) => row.project_id)
    },
    async teamModelSpend(teamId, from) {
      const row = await db
        .selectFrom("model_usage")
        .select((eb) => eb.fn.sum<number | string | null>("cost_usd").as("total"))
        .where("time", ">=", from)
        .where((eb) =>
          eb.or([
            eb("team_id", "=", teamId),
            eb(
              "project_id",
              "in",
              eb.selectFrom("project_team").select("project_id").where("project_team.team_id", "=", teamId),
            ),
          ]),
        )
        .executeTakeFirst()
      return Number(row?.total ?? 0)
    },
    async sandboxCpuMs(filter) {
      let query = db
        .selectFrom("sandbox_usage")
        .select((eb) => eb.fn.sum<number | string | null>("cpu_ms").as("total"))
        .where("time", ">=", filter.from)
      if (filter.userId !== undefined) query = query.where("user_id", "=", filter.userId)
      if (filter.teamId !== undefined) query = query.where("team_id", "=", filter.teamId)
      const row = await query.executeTakeFirst()
      return Number(row?.total ?? 0)
    },
    async deleteUser(userId) {
      await db.transaction().execute(async (transaction) => {
        await transaction
          .deleteFrom("provider_setting")
          .where("owner_kind", "=", "user")
          .where("owner_id", "=", userId)
          .execute()
        await transaction.deleteFrom("app_user").where("id", "=", userId).execute()
      })
    },
    async sessionsCreatedBy(userId) {
      if (!(await hasSessionTable())) return null
      const rows = await db
        .selectFrom("session")
        .select(["id", "project_id", "title"])
        .where("created_by", "=", userId)
        .orderBy("id")
        .execute()
      return rows.map((row) => ({ id: row.id, projectId: row.project_id, title: row.title }))
    },
    async transferSessions(ids, toUserId) {
      if (ids.length === 0) return
      await db
        .updateTable("session")
        .set({ created_by: toUserId })
        .where("id", "in", [...ids])
        .execute()
    },
    async sealedSecrets() {
      const keys = await db
        .selectFrom("provider_setting")
        .select(["owner_kind", "owner_id", "provider_id", "key_ciphertext"])
        .where("key_ciphertext", "is not", null)
        .execute()
      const factors = await db.selectFrom("totp_factor").select(["user_id", "secret"]).execute()
      return [
        ...keys.map((row) => {
          const id = `${row.owner_kind}:${row.owner_id}:${row.provider_id}`
          return { kind: "provider-key" as const, id, context: id, ciphertext: row.key_ciphertext! }
        }),
        ...factors.map((row) => ({
          kind: "totp-secret" as const,
          id: row.user_id,
          context: `totp:${row.user_id}`,
          ciphertext: row.secret,
        })),
      ]
    },
    async replaceSealed(secret, ciphertext) {
      if (secret.kind === "totp-secret") {
        const result = await db
          .updateTable("totp_factor")
          .set({ secret: ciphertext })
          .where("user_id", "=", secret.id)
          .where("secret", "=", secret.ciphertext)
          .executeTakeFirst()
        return Number(result.numUpdatedRows) > 0
      }
      const [ownerKind = "", ownerId = "", providerId = ""] = secret.id.split(":")
      const result = await db
        .updateTable("provider_setting")
        .set({ key_ciphertext: ciphertext })
        .where("owner_kind", "=", ownerKind)
        .where("owner_id", "=", ownerId)
        .where("provider_id", "=", providerId)
        .where("key_ciphertext", "=", secret.ciphertext)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) > 0
    },
  }
  return policies
}
