import { sql } from "kysely"
import type { SessionDb } from "./session-tables.ts"
import type { SessionRepository } from "./session-types.ts"

type LeaseMethods = Pick<SessionRepository, "acquireLease" | "renewLease" | "releaseLease" | "expiredLeases">

/**
 * Turn leases. Taking one is a single upsert that only overwrites an expired lease or the caller's
 * own (same node and turn): on PostgreSQL two nodes racing for a session queue on the row, and the
 * second sees the first's lease and gets no row back; on SQLite there is one writer.
 */
export function createSessionLeases({ db, clock }: { db: SessionDb; clock: () => Date }): LeaseMethods {
  return {
    async acquireLease(lease) {
      const now = clock().toISOString()
      const row = await db
        .insertInto("session_lease")
        .values({
          session_id: lease.sessionId,
          turn_id: lease.turnId,
          node_id: lease.nodeId,
          expires_at: lease.expiresAt,
        })
        .onConflict((conflict) =>
          conflict
            .column("session_id")
            .doUpdateSet({
              turn_id: lease.turnId,
              node_id: lease.nodeId,
              expires_at: lease.expiresAt,
            })
            .where(
              sql<boolean>`session_lease.expires_at < ${now} or (session_lease.node_id = ${lease.nodeId} and session_lease.turn_id = ${lease.turnId})`,
            ),
        )
        .returning("session_id")
        .executeTakeFirst()
      return row !== undefined
    },

    async renewLease(lease) {
      // An expired lease is lost even when nobody took it yet: recovery may be marking its turn interrupted.
      const result = await db
        .updateTable("session_lease")
        .set({ expires_at: lease.expiresAt })
        .where("session_id", "=", lease.sessionId)
        .where("node_id", "=", lease.nodeId)
        .where("turn_id", "=", lease.turnId)
        .where("expires_at", ">=", clock().toISOString())
        .executeTakeFirst()
      return Number(result.numUpdatedRows) > 0
    },

    async releaseLease(sessionId, turnId) {
      await db
        .deleteFrom("session_lease")
        .where("session_id", "=", sessionId)
        .where("turn_id", "=", turnId)
        .execute()
    },

    async expiredLeases(now, limit) {
      const rows = await db
        .selectFrom("session_lease")
        .selectAll()
        .where("expires_at", "<", now)
        .orderBy("expires_at")
        .orderBy("session_id")
        .limit(limit)
        .execute()
      return rows.map((row) => ({
        sessionId: row.session_id,
        turnId: row.turn_id,
        nodeId: row.node_id,
        expiresAt: row.expires_at,
      }))
    },
  }
}
