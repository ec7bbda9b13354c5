import { AppError } from "@xionimus/kit"
import type { Selectable } from "kysely"
import type { SessionDb, SessionTables } from "./session-tables.ts"
import type { SessionRepository, ShareRecord } from "./session-types.ts"

type ShareMethods = Pick<SessionRepository, "createShare" | "findShare" | "listShares" | "revokeShare">

const toShare = (row: Selectable<SessionTables["session_share"]>): ShareRecord => ({
  id: row.id,
  sessionId: row.session_id,
  tokenHash: row.token_hash,
  createdBy: row.created_by,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
})

/** Share links of sessions; only the token's hash is stored. */
export function createSessionShares({ db }: { db: SessionDb }): ShareMethods {
  return {
    async createShare(share) {
      const row = await db
        .insertInto("session_share")
        .values({
          id: share.id,
          session_id: share.sessionId,
          token_hash: share.tokenHash,
          created_by: share.createdBy,
          created_at: share.createdAt,
          expires_at: share.expiresAt,
          revoked_at: share.revokedAt,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      return toShare(row)
    },

    async findShare(tokenHash) {
      const row = await db
        .selectFrom("session_share")
        .selectAll()
        .where("token_hash", "=", tokenHash)
        .executeTakeFirst()
      return row && toShare(row)
    },

    async listShares(sessionId) {
      const rows = await db
        .selectFrom("session_share")
        .selectAll()
        .where("session_id", "=", sessionId)
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .execute()
      return rows.map(toShare)
    },

    async revokeShare(sessionId, shareId, now) {
      // Revoking twice keeps the first time.
      const row = await db
        .updateTable("session_share")
        .set((eb) => ({ revoked_at: eb.fn.coalesce("revoked_at", eb.val(now)) }))
        .where("id", "=", shareId)
        .where("session_id", "=", sessionId)
        .returningAll()
        .executeTakeFirst()
      if (!row)
        throw new AppError("SHARE_NOT_FOUND", "No share link with this id on the session; list its shares.", {
          shareId,
        })
      return toShare(row)
    },
  }
}
