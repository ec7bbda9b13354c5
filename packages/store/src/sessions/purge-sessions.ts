import type { SessionDb } from "./session-tables.ts"

/** Deletes every session of a project with its event stream, shares and lease (run inside a transaction). */
export async function purgeSessions(db: SessionDb, projectId: string): Promise<void> {
  const ids = db.selectFrom("session").select("id").where("project_id", "=", projectId)
  await db.deleteFrom("event").where("stream", "in", ids).execute()
  await db.deleteFrom("event_stream").where("stream", "in", ids).execute()
  await db.deleteFrom("session_share").where("session_id", "in", ids).execute()
  await db.deleteFrom("session_lease").where("session_id", "in", ids).execute()
  await db.deleteFrom("session").where("project_id", "=", projectId).execute()
}
