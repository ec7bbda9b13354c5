import { AppError } from "@xionimus/kit"
import type { SessionRunState, SessionUsage } from "@xionimus/protocol"
import { type Kysely, type Selectable, sql } from "kysely"
import { type JsonCodec, toJson } from "../database.ts"
import { isUniqueViolation, type UniqueConstraint } from "../database-error.ts"
import { decodeSessionCursor, encodeSessionCursor } from "./session-cursor.ts"
import { createSessionLeases } from "./session-leases.ts"
import { containsPattern, searchKey, tagPattern, tagsText } from "./session-search.ts"
import { createSessionShares } from "./session-shares.ts"
import type { SessionDb, SessionTables } from "./session-tables.ts"
import type { SessionPatch, SessionRecord, SessionRepository } from "./session-types.ts"

const sessionKey: UniqueConstraint = { name: "session_pkey", table: "session", columns: ["id"] }
/** What one indexText call adds at most: enough to find a message by its words. */
const indexedTextLimit = 20_000
/** Past this many characters a session's search text grows no more, so `q` scans a bounded row. */
const searchTextLimit = 200_000

export interface SessionRepositoryDeps {
  // biome-ignore lint/suspicious/noExplicitAny: the store's Kysely instance spans every package's tables
  db: Kysely<any>
  json: JsonCodec
  clock: () => Date
}

/** Sessions, their turn leases and their share links, on both databases with the same queries. */
export function createSessionRepository(deps: SessionRepositoryDeps): SessionRepository {
  const db = deps.db as SessionDb
  const { json, clock } = deps
  const toRecord = (row: Selectable<SessionTables["session"]>): SessionRecord => ({
    id: row.id,
    projectId: row.project_id,
    title: row.title,
    tags: json.decode(row.tags) as string[],
    pinned: Number(row.pinned) === 1,
    archived: row.archived_at !== null,
    runState: row.run_state as SessionRunState,
    model: row.model,
    forkedFrom:
      row.forked_from_session === null
        ? null
        : { sessionId: row.forked_from_session, seq: Number(row.forked_from_seq ?? 0) },
    usage: {
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      cachedInputTokens: Number(row.cached_input_tokens),
      costUsd: Number(row.cost_usd),
    },
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  })
  const find = (id: string) => db.selectFrom("session").selectAll().where("id", "=", id).executeTakeFirst()
  const notFound = (id: string) =>
    new AppError("SESSION_NOT_FOUND", "No session with this id. List the project's sessions to find it.", {
      id,
    })

  return {
    async create(input) {
      const now = clock().toISOString()
      const tags = input.tags ?? []
      try {
        const row = await db
          .insertInto("session")
          .values({
            id: input.id,
            project_id: input.projectId,
            title: input.title,
            title_key: searchKey(input.title),
            tags: toJson(tags),
            tags_text: tagsText(tags),
            pinned: 0,
            archived_at: null,
            run_state: "idle",
            model: input.model,
            forked_from_session: input.forkedFrom?.sessionId ?? null,
            forked_from_seq: input.forkedFrom?.seq ?? null,
            input_tokens: 0,
            output_tokens: 0,
            cached_input_tokens: 0,
            cost_usd: 0,
            search_text: "",
            created_by: input.createdBy,
            created_at: now,
            updated_at: now,
          })
          .returningAll()
          .executeTakeFirstOrThrow()
        return toRecord(row)
      } catch (error) {
        if (isUniqueViolation(error, sessionKey))
          throw new AppError(
            "VALIDATION_FAILED",
            "A session with this id exists already.",
            [{ path: ["id"], message: "taken" }],
            { cause: error },
          )
        throw error
      }
    },

    async get(id) {
      const row = await find(id)
      return row && toRecord(row)
    },

    async list(projectId, query) {
      let select = db.selectFrom("session").selectAll().where("project_id", "=", projectId)
      select =
        query.archived === true
          ? select.where("archived_at", "is not", null)
          : select.where("archived_at", "is", null)
      if (query.q) {
        const pattern = containsPattern(query.q)
        select = select.where(
          sql<boolean>`(title_key like ${pattern} escape '\\' or search_text like ${pattern} escape '\\')`,
        )
      }
      if (query.tag) select = select.where(sql<boolean>`tags_text like ${tagPattern(query.tag)} escape '\\'`)
      if (query.cursor) {
        const after = decodeSessionCursor(query.cursor)
        const pinned = after.pinned ? 1 : 0
        select = select.where((eb) =>
          eb.or([
            eb("pinned", "<", pinned),
            eb.and([
              eb("pinned", "=", pinned),
              eb.or([
                eb("updated_at", "<", after.updatedAt),
                eb.and([eb("updated_at", "=", after.updatedAt), eb("id", "<", after.id)]),
              ]),
            ]),
          ]),
        )
      }
      const rows = await select
        .orderBy("pinned", "desc")
        .orderBy("updated_at", "desc")
        .orderBy("id", "desc")
        .limit(query.limit + 1)
        .execute()
      const items = rows.slice(0, query.limit).map(toRecord)
      const last = items.at(-1)
      const nextCursor =
        rows.length > query.limit && last
          ? encodeSessionCursor({ pinned: last.pinned, updatedAt: last.updatedAt, id: last.id })
          : null
      return { items, nextCursor }
    },

    async update(id, patch: SessionPatch) {
      const now = clock().toISOString()
      const current = await find(id)
      if (!current) throw notFound(id)
      const row = await db
        .updateTable("session")
        .set({
          ...(patch.title !== undefined ? { title: patch.title, title_key: searchKey(patch.title) } : {}),
          ...(patch.model !== undefined ? { model: patch.model } : {}),
          ...(patch.tags !== undefined ? { tags: toJson(patch.tags), tags_text: tagsText(patch.tags) } : {}),
          ...(patch.pinned !== undefined ? { pinned: patch.pinned ? 1 : 0 } : {}),
          ...(patch.archived !== undefined
            ? { archived_at: patch.archived ? (current.archived_at ?? now) : null }
            : {}),
          updated_at: now,
        })
        .where("id", "=", id)
        .returningAll()
        .executeTakeFirst()
      if (!row) throw notFound(id)
      return toRecord(row)
    },

    async setRunState(id, runState) {
      const result = await db
        .updateTable("session")
        .set({ run_state: runState, updated_at: clock().toISOString() })
        .where("id", "=", id)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) === 0) throw notFound(id)
    },

    async addUsage(id, usage: SessionUsage) {
      await db
        .updateTable("session")
        .set({
          input_tokens: sql<number>`input_tokens + ${Math.round(usage.inputTokens)}`,
          output_tokens: sql<number>`output_tokens + ${Math.round(usage.outputTokens)}`,
          cached_input_tokens: sql<number>`cached_input_tokens + ${Math.round(usage.cachedInputTokens)}`,
          cost_usd: sql<number>`cost_usd + ${usage.costUsd}`,
        })
        .where("id", "=", id)
        .execute()
    },

    async indexText(id, text) {
      const key = searchKey(text.slice(0, indexedTextLimit)).trim()
      if (key === "") return
      await db
        .updateTable("session")
        .set({ search_text: sql<string>`search_text || ${`\n${key}`}` })
        .where("id", "=", id)
        .where(sql<number>`length(search_text)`, "<", searchTextLimit)
        .execute()
    },

    async remove(id) {
      await db.transaction().execute(async (transaction) => {
        await transaction.deleteFrom("event").where("stream", "=", id).execute()
        await transaction.deleteFrom("event_stream").where("stream", "=", id).execute()
        await transaction.deleteFrom("session_share").where("session_id", "=", id).execute()
        await transaction.deleteFrom("session_lease").where("session_id", "=", id).execute()
        await transaction.deleteFrom("session").where("id", "=", id).execute()
      })
    },

    async running(projectId, limit) {
      const rows = await db
        .selectFrom("session")
        .select(["id", "title"])
        .where("project_id", "=", projectId)
        .where("run_state", "=", "running")
        .orderBy("updated_at")
        .orderBy("id")
        .limit(limit)
        .execute()
      return rows.map(({ id, title }) => ({ id, title }))
    },
    async projectUsage(projectId) {
      const row = await db
        .selectFrom("session")
        .select([
          sql<string | number>`coalesce(sum(input_tokens), 0)`.as("inputTokens"),
          sql<string | number>`coalesce(sum(output_tokens), 0)`.as("outputTokens"),
          sql<string | number>`coalesce(sum(cached_input_tokens), 0)`.as("cachedInputTokens"),
          sql<string | number>`coalesce(sum(cost_usd), 0)`.as("costUsd"),
        ])
        .where("project_id", "=", projectId)
        .executeTakeFirst()
      return {
        inputTokens: Number(row?.inputTokens ?? 0),
        outputTokens: Number(row?.outputTokens ?? 0),
        cachedInputTokens: Number(row?.cachedInputTokens ?? 0),
        // Summing floats in a different order per database leaves noise past the micro-dollar.
        costUsd: Math.round(Number(row?.costUsd ?? 0) * 1e9) / 1e9,
      }
    },

    ...createSessionLeases({ db, clock }),
    ...createSessionShares({ db }),
  }
}
