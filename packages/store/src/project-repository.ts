import { AppError } from "@xionimus/kit"
import type { Project, ProjectListQuery, ProjectSource } from "@xionimus/protocol"
import { type Selectable, sql } from "kysely"
import type { Db, JsonCodec, ProjectTable } from "./database.ts"
import { isUniqueViolation, type UniqueConstraint } from "./database-error.ts"
import { decodeProjectCursor, encodeProjectCursor } from "./project-cursor.ts"
import { containsPattern, nameKey } from "./project-name.ts"
import { purgeSessions } from "./sessions/purge-sessions.ts"
import type { SessionDb } from "./sessions/session-tables.ts"
import type { ProjectRepository } from "./types.ts"

const liveName: UniqueConstraint = { name: "project_live_name_key", table: "project", columns: ["name_key"] }
const dayMs = 86_400_000

export interface ProjectRepositoryDeps {
  db: Db
  json: JsonCodec
  clock: () => Date
}

export function createProjectRepository({ db, json, clock }: ProjectRepositoryDeps): ProjectRepository {
  const toProject = (row: Selectable<ProjectTable>): Project => ({
    id: row.id,
    name: row.name,
    source: json.decode(row.source) as ProjectSource,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
    purgeAfter: row.purge_after,
  })

  const find = (id: string) => db.selectFrom("project").selectAll().where("id", "=", id).executeTakeFirst()

  /** Explains why an update that needs the project `wanted` (live or deleted) matched no row. */
  async function refuse(id: string, wanted: "live" | "deleted"): Promise<never> {
    const row = await find(id)
    if (!row)
      throw new AppError("PROJECT_NOT_FOUND", "No project with this id. It may have been purged.", { id })
    if (wanted === "live")
      throw new AppError("PROJECT_DELETED", "The project is deleted. Restore it first.", { id })
    throw new AppError("PROJECT_NOT_DELETED", "The project is not deleted, so there is nothing to restore.", {
      id,
    })
  }

  function nameTaken(name: string, error: unknown): AppError {
    return new AppError(
      "PROJECT_NAME_TAKEN",
      `Another project is already called "${name}" (names are compared ignoring case). Choose another name.`,
      { name },
      { cause: error },
    )
  }

  return {
    async create({ id, name, source }) {
      const now = clock().toISOString()
      try {
        const row = await db
          .insertInto("project")
          .values({
            id,
            name,
            name_key: nameKey(name),
            source: JSON.stringify(source),
            created_at: now,
            updated_at: now,
            deleted_at: null,
            purge_after: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow()
        return toProject(row)
      } catch (error) {
        if (isUniqueViolation(error, liveName)) throw nameTaken(name, error)
        throw error
      }
    },

    async get(id) {
      const row = await find(id)
      return row && toProject(row)
    },

    async list(query: ProjectListQuery, options: { onlyIds?: readonly string[] } = {}) {
      if (options.onlyIds?.length === 0) return { items: [], nextCursor: null }
      let select = db.selectFrom("project").selectAll()
      if (options.onlyIds) select = select.where("id", "in", [...options.onlyIds])
      if (query.deleted === "exclude") select = select.where("deleted_at", "is", null)
      if (query.deleted === "only") select = select.where("deleted_at", "is not", null)
      if (query.q) select = select.where(sql<boolean>`name_key like ${containsPattern(query.q)} escape '\\'`)
      if (query.cursor) {
        const after = decodeProjectCursor(query.cursor)
        select = select.where((eb) =>
          eb.or([
            eb("created_at", "<", after.createdAt),
            eb.and([eb("created_at", "=", after.createdAt), eb("id", "<", after.id)]),
          ]),
        )
      }
      const rows = await select
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(query.limit + 1)
        .execute()
      const items = rows.slice(0, query.limit).map(toProject)
      const last = items.at(-1)
      const nextCursor =
        rows.length > query.limit && last
          ? encodeProjectCursor({ createdAt: last.createdAt, id: last.id })
          : null
      return { items, nextCursor }
    },

    async rename(id, name) {
      try {
        const row = await db
          .updateTable("project")
          .set({ name, name_key: nameKey(name), updated_at: clock().toISOString() })
          .where("id", "=", id)
          .where("deleted_at", "is", null)
          .returningAll()
          .executeTakeFirst()
        return row ? toProject(row) : await refuse(id, "live")
      } catch (error) {
        if (isUniqueViolation(error, liveName)) throw nameTaken(name, error)
        throw error
      }
    },

    async softDelete(id, purgeAfterDays) {
      const now = clock()
      const row = await db
        .updateTable("project")
        .set({
          deleted_at: now.toISOString(),
          purge_after: new Date(now.getTime() + purgeAfterDays * dayMs).toISOString(),
          updated_at: now.toISOString(),
        })
        .where("id", "=", id)
        .where("deleted_at", "is", null)
        .returningAll()
        .executeTakeFirst()
      return row ? toProject(row) : await refuse(id, "live")
    },

    async restore(id) {
      try {
        const row = await db
          .updateTable("project")
          .set({ deleted_at: null, purge_after: null, updated_at: clock().toISOString() })
          .where("id", "=", id)
          .where("deleted_at", "is not", null)
          .returningAll()
          .executeTakeFirst()
        return row ? toProject(row) : await refuse(id, "deleted")
      } catch (error) {
        if (isUniqueViolation(error, liveName)) {
          const project = await find(id)
          throw nameTaken(project?.name ?? id, error)
        }
        throw error
      }
    },

    async listPurgeable(now, limit) {
      const rows = await db
        .selectFrom("project")
        .selectAll()
        .where("purge_after", "is not", null)
        .where("purge_after", "<=", now.toISOString())
        .orderBy("purge_after")
        .orderBy("id")
        .limit(limit)
        .execute()
      return rows.map(toProject)
    },

    async purge(id) {
      await db.transaction().execute(async (transaction) => {
        await transaction.deleteFrom("event").where("stream", "=", id).execute()
        await transaction.deleteFrom("event_stream").where("stream", "=", id).execute()
        await purgeSessions(transaction as unknown as SessionDb, id)
        await transaction.deleteFrom("project").where("id", "=", id).execute()
      })
    },
  }
}
