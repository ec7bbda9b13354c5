import type { Page } from "@xionimus/protocol"
import type { Kysely } from "kysely"
import { decodeListCursor, encodeListCursor } from "./list-cursor.ts"
import type { ListPageQuery, TeamRole } from "./team-types.ts"

/** A user's own preferences; null fields mean "the default" (the configuration's model, the browser's language). */
export interface UserPreferenceRecord {
  defaultModel: string | null
  language: string | null
}

/** An invitation not yet accepted and not expired, with who sent it (never its token or hash). */
export interface PendingInvitationRecord {
  id: string
  teamId: string
  email: string
  role: TeamRole
  createdAt: string
  expiresAt: string
  invitedBy: { userId: string; name: string | null; email: string | null }
}

/** What a user changes about their own account, and the invitations team owners manage. */
export interface AccountSettingsRepository {
  preferences(userId: string): Promise<UserPreferenceRecord>
  /** Changes the given fields only; returns the result. */
  updatePreferences(
    userId: string,
    patch: Partial<UserPreferenceRecord>,
    at: string,
  ): Promise<UserPreferenceRecord>
  /** Whether the user exists (and was renamed). */
  renameUser(userId: string, name: string): Promise<boolean>
  /** The team's open invitations at `now`, newest first. */
  pendingInvitations(teamId: string, now: string): Promise<PendingInvitationRecord[]>
  /** A page of the team's open invitations at `now`, newest first; VALIDATION_FAILED for a cursor not of this list. */
  pendingInvitationsPage(
    teamId: string,
    now: string,
    query: ListPageQuery,
  ): Promise<Page<PendingInvitationRecord>>
  /** Deletes an open invitation of the team; the removed one, or undefined when unknown, used or expired. */
  revokeInvitation(
    teamId: string,
    invitationId: string,
    now: string,
  ): Promise<PendingInvitationRecord | undefined>
}

interface SettingsTables {
  user_preference: {
    user_id: string
    default_model: string | null
    language: string | null
    updated_at: string
  }
  app_user: { id: string; email: string; name: string }
  team_invitation: {
    id: string
    team_id: string
    email: string
    role: string
    created_by: string
    created_at: string
    expires_at: string
    accepted_at: string | null
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the store's Database type does not list these tables
export function createAccountSettingsRepository(deps: { db: Kysely<any> }): AccountSettingsRepository {
  const db = deps.db as Kysely<SettingsTables>
  async function preferences(userId: string): Promise<UserPreferenceRecord> {
    const row = await db
      .selectFrom("user_preference")
      .select(["default_model", "language"])
      .where("user_id", "=", userId)
      .executeTakeFirst()
    return { defaultModel: row?.default_model ?? null, language: row?.language ?? null }
  }
  function pending(teamId: string, now: string) {
    return db
      .selectFrom("team_invitation")
      .leftJoin("app_user", "app_user.id", "team_invitation.created_by")
      .select([
        "team_invitation.id",
        "team_invitation.team_id",
        "team_invitation.email",
        "team_invitation.role",
        "team_invitation.created_by",
        "team_invitation.created_at",
        "team_invitation.expires_at",
      ])
      .select(["app_user.name as inviter_name", "app_user.email as inviter_email"])
      .where("team_invitation.team_id", "=", teamId)
      .where("team_invitation.accepted_at", "is", null)
      .where("team_invitation.expires_at", ">", now)
  }
  const toPending = (row: {
    id: string
    team_id: string
    email: string
    role: string
    created_by: string
    created_at: string
    expires_at: string
    inviter_name: string | null
    inviter_email: string | null
  }): PendingInvitationRecord => ({
    id: row.id,
    teamId: row.team_id,
    email: row.email,
    role: row.role as TeamRole,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    invitedBy: { userId: row.created_by, name: row.inviter_name, email: row.inviter_email },
  })
  return {
    preferences,
    async updatePreferences(userId, patch, at) {
      const current = await preferences(userId)
      const next = { ...current, ...patch }
      const values = { default_model: next.defaultModel, language: next.language, updated_at: at }
      await db
        .insertInto("user_preference")
        .values({ user_id: userId, ...values })
        .onConflict((conflict) => conflict.column("user_id").doUpdateSet(values))
        .execute()
      return next
    },
    async renameUser(userId, name) {
      const result = await db
        .updateTable("app_user")
        .set({ name })
        .where("id", "=", userId)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) > 0
    },
    async pendingInvitations(teamId, now) {
      const rows = await pending(teamId, now)
        .orderBy("team_invitation.created_at", "desc")
        .orderBy("team_invitation.id", "desc")
        .execute()
      return rows.map(toPending)
    },
    async pendingInvitationsPage(teamId, now, query) {
      let select = pending(teamId, now)
      if (query.cursor) {
        const [createdAt, id] = decodeListCursor("invitations", query.cursor, 2) as [string, string]
        select = select.where((eb) =>
          eb.or([
            eb("team_invitation.created_at", "<", createdAt),
            eb.and([eb("team_invitation.created_at", "=", createdAt), eb("team_invitation.id", "<", id)]),
          ]),
        )
      }
      const rows = await select
        .orderBy("team_invitation.created_at", "desc")
        .orderBy("team_invitation.id", "desc")
        .limit(query.limit + 1)
        .execute()
      const items = rows.slice(0, query.limit).map(toPending)
      const last = items.at(-1)
      const more = rows.length > query.limit && last
      return { items, nextCursor: more ? encodeListCursor("invitations", [last.createdAt, last.id]) : null }
    },
    async revokeInvitation(teamId, invitationId, now) {
      const row = await pending(teamId, now).where("team_invitation.id", "=", invitationId).executeTakeFirst()
      if (!row) return undefined
      const result = await db
        .deleteFrom("team_invitation")
        .where("id", "=", invitationId)
        .where("accepted_at", "is", null)
        .executeTakeFirst()
      // Accepted in the meantime: it is no longer pending.
      return Number(result.numDeletedRows) > 0 ? toPending(row) : undefined
    },
  }
}
