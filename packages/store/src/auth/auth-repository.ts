import { AppError } from "@xionimus/kit"
import type { ApiKeyScope } from "@xionimus/protocol"
import { type Kysely, type Selectable, sql } from "kysely"
import { type JsonCodec, toJson } from "../database.ts"
import { isUniqueViolation } from "../database-error.ts"
import { containsPattern } from "../project-name.ts"
import type { AuthDb, AuthTables } from "./auth-tables.ts"
import type { ApiKeyRecord, AuthRepository, LoginSessionRecord, UserRecord } from "./auth-types.ts"
import { decodeListCursor, encodeListCursor } from "./list-cursor.ts"

const uniqueEmail = { name: "app_user_email_key", table: "app_user", columns: ["email"] }

export function createAuthRepository(deps: {
  // biome-ignore lint/suspicious/noExplicitAny: the store's Database type does not list these tables
  db: Kysely<any>
  json: JsonCodec
  clock: () => Date
}): AuthRepository {
  const db = deps.db as AuthDb
  const toUser = (row: Selectable<AuthTables["app_user"]>): UserRecord => ({
    id: row.id,
    email: row.email,
    name: row.name,
    admin: Number(row.admin) === 1,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
    passwordHash: row.password_hash,
  })
  const toSession = (row: Selectable<AuthTables["login_session"]>): LoginSessionRecord => ({
    id: row.id,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
    ip: row.ip,
    userAgent: row.user_agent,
  })
  const toKey = (row: Selectable<AuthTables["api_key"]>): ApiKeyRecord => ({
    id: row.id,
    userId: row.user_id,
    name: row.name,
    scope: row.scope as ApiKeyScope,
    prefix: row.prefix,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  })
  const userRow = (input: {
    id: string
    email: string
    name: string
    passwordHash: string | null
    admin: boolean
  }) => {
    const now = deps.clock().toISOString()
    return {
      id: input.id,
      email: input.email,
      name: input.name,
      password_hash: input.passwordHash,
      admin: input.admin ? 1 : 0,
      disabled_at: null,
      created_at: now,
      updated_at: now,
    }
  }

  return {
    async countUsers() {
      const row = await db
        .selectFrom("app_user")
        .select((eb) => eb.fn.countAll().as("count"))
        .executeTakeFirst()
      return Number(row?.count ?? 0)
    },
    async createUser(input) {
      try {
        const row = await db
          .insertInto("app_user")
          .values(userRow(input))
          .returningAll()
          .executeTakeFirstOrThrow()
        return toUser(row)
      } catch (error) {
        if (isUniqueViolation(error, uniqueEmail)) {
          throw new AppError("EMAIL_TAKEN", `An account with ${input.email} exists already.`, {
            email: input.email,
          })
        }
        throw error
      }
    },
    async createFirstUser(input) {
      return db.transaction().execute(async (transaction) => {
        const existing = await transaction.selectFrom("app_user").select("id").limit(1).executeTakeFirst()
        if (existing) return false
        await transaction.insertInto("app_user").values(userRow(input)).execute()
        return true
      })
    },
    async getUser(id) {
      const row = await db.selectFrom("app_user").selectAll().where("id", "=", id).executeTakeFirst()
      return row && toUser(row)
    },
    async findUserByEmail(email) {
      const row = await db.selectFrom("app_user").selectAll().where("email", "=", email).executeTakeFirst()
      return row && toUser(row)
    },
    async listUsers() {
      const rows = await db.selectFrom("app_user").selectAll().orderBy("created_at").orderBy("id").execute()
      return rows.map(toUser)
    },
    async listUsersPage(query) {
      let select = db.selectFrom("app_user").selectAll()
      if (query.q) {
        // lower() folds only ASCII on SQLite (every letter on PostgreSQL); e-mail addresses are stored lower-case.
        const pattern = containsPattern(query.q)
        select = select.where(
          sql<boolean>`(lower(email) like ${pattern} escape '\\' or lower(name) like ${pattern} escape '\\')`,
        )
      }
      if (query.cursor) {
        const [email, id] = decodeListCursor("users", query.cursor, 2) as [string, string]
        select = select.where((eb) =>
          eb.or([eb("email", ">", email), eb.and([eb("email", "=", email), eb("id", ">", id)])]),
        )
      }
      const rows = await select
        .orderBy("email")
        .orderBy("id")
        .limit(query.limit + 1)
        .execute()
      const items = rows.slice(0, query.limit).map(toUser)
      const last = items.at(-1)
      const more = rows.length > query.limit && last
      return { items, nextCursor: more ? encodeListCursor("users", [last.email, last.id]) : null }
    },
    async setUserDisabled(id, disabledAt) {
      const row = await db
        .updateTable("app_user")
        .set({ disabled_at: disabledAt, updated_at: deps.clock().toISOString() })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst()
      if (!row) throw new AppError("USER_NOT_FOUND", `No user ${id}. List users to find the id.`, { id })
      return toUser(row)
    },
    async setPasswordHash(id, passwordHash) {
      await db
        .updateTable("app_user")
        .set({ password_hash: passwordHash, updated_at: deps.clock().toISOString() })
        .where("id", "=", id)
        .execute()
    },

    async createSession(input) {
      const row = await db
        .insertInto("login_session")
        .values({
          id: input.id,
          token_hash: input.tokenHash,
          csrf_token: input.csrfToken,
          user_id: input.userId,
          created_at: input.createdAt,
          last_seen_at: input.createdAt,
          expires_at: input.expiresAt,
          ip: input.ip,
          user_agent: input.userAgent,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      return toSession(row)
    },
    async findSession(tokenHash) {
      const row = await db
        .selectFrom("login_session")
        .selectAll()
        .where("token_hash", "=", tokenHash)
        .executeTakeFirst()
      return row && toSession(row)
    },
    async touchSession(id, lastSeenAt) {
      await db.updateTable("login_session").set({ last_seen_at: lastSeenAt }).where("id", "=", id).execute()
    },
    async listSessions(userId) {
      const rows = await db
        .selectFrom("login_session")
        .selectAll()
        .where("user_id", "=", userId)
        .orderBy("created_at", "desc")
        .execute()
      return rows.map(toSession)
    },
    async deleteSession(userId, id) {
      const result = await db
        .deleteFrom("login_session")
        .where("id", "=", id)
        .where("user_id", "=", userId)
        .executeTakeFirst()
      return Number(result.numDeletedRows) > 0
    },
    async deleteSessionsOf(userId, keep) {
      let query = db.deleteFrom("login_session").where("user_id", "=", userId)
      if (keep) query = query.where("id", "!=", keep)
      await query.execute()
    },

    async createApiKey(input) {
      const row = await db
        .insertInto("api_key")
        .values({
          id: input.id,
          secret_hash: input.secretHash,
          user_id: input.userId,
          name: input.name,
          scope: input.scope,
          prefix: input.prefix,
          created_at: input.createdAt,
          expires_at: input.expiresAt,
          last_used_at: null,
          revoked_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      return toKey(row)
    },
    async findApiKey(secretHash) {
      const row = await db
        .selectFrom("api_key")
        .selectAll()
        .where("secret_hash", "=", secretHash)
        .executeTakeFirst()
      return row && toKey(row)
    },
    async getApiKey(id) {
      const row = await db.selectFrom("api_key").selectAll().where("id", "=", id).executeTakeFirst()
      return row && toKey(row)
    },
    async listApiKeys(userId) {
      let query = db.selectFrom("api_key").selectAll()
      if (userId) query = query.where("user_id", "=", userId)
      const rows = await query.orderBy("created_at", "desc").orderBy("id", "desc").execute()
      return rows.map(toKey)
    },
    async revokeApiKey(id, revokedAt) {
      await db
        .updateTable("api_key")
        .set({ revoked_at: revokedAt })
        .where("id", "=", id)
        .where("revoked_at", "is", null)
        .execute()
      const row = await db.selectFrom("api_key").selectAll().where("id", "=", id).executeTakeFirst()
      if (!row) throw new AppError("API_KEY_NOT_FOUND", `No API key ${id}. List keys to find the id.`, { id })
      return toKey(row)
    },
    async touchApiKey(id, lastUsedAt) {
      await db.updateTable("api_key").set({ last_used_at: lastUsedAt }).where("id", "=", id).execute()
    },
    async setApiKeyExpiry(id, expiresAt) {
      await db.updateTable("api_key").set({ expires_at: expiresAt }).where("id", "=", id).execute()
    },

    async createReset(input) {
      await db
        .insertInto("password_reset")
        .values({
          token_hash: input.tokenHash,
          user_id: input.userId,
          created_by: input.createdBy,
          created_at: input.createdAt,
          expires_at: input.expiresAt,
          used_at: null,
        })
        .execute()
    },
    async takeReset(tokenHash, now) {
      const row = await db
        .updateTable("password_reset")
        .set({ used_at: now })
        .where("token_hash", "=", tokenHash)
        .where("used_at", "is", null)
        .where("expires_at", ">", now)
        .returning("user_id")
        .executeTakeFirst()
      return row?.user_id
    },

    async appendAudit(entry) {
      await db
        .insertInto("audit_entry")
        .values({
          id: entry.id,
          time: entry.time,
          action: entry.action,
          outcome: entry.outcome,
          actor_user_id: entry.actorUserId,
          actor_key_id: entry.actorKeyId,
          target: entry.target,
          ip: entry.ip,
          user_agent: entry.userAgent,
          details: toJson(entry.details),
        })
        .execute()
    },
    async listAudit(query) {
      let select = db.selectFrom("audit_entry").selectAll()
      if (query.action) select = select.where("action", "=", query.action)
      if (query.actorUserId) select = select.where("actor_user_id", "=", query.actorUserId)
      if (query.target) select = select.where("target", "=", query.target)
      if (query.before) select = select.where("id", "<", query.before)
      if (query.from) select = select.where("time", ">=", query.from)
      if (query.to) select = select.where("time", "<", query.to)
      const rows = await select
        .orderBy("id", "desc")
        .limit(query.limit + 1)
        .execute()
      const items = rows.slice(0, query.limit).map((row) => ({
        id: row.id,
        time: row.time,
        action: row.action,
        outcome: row.outcome as "success" | "failure" | "denied",
        actorUserId: row.actor_user_id,
        actorKeyId: row.actor_key_id,
        target: row.target,
        ip: row.ip,
        userAgent: row.user_agent,
        details: deps.json.decode(row.details) as Record<string, unknown>,
      }))
      return { items, nextCursor: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null }
    },
  }
}
