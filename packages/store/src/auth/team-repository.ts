import type { Kysely } from "kysely"
import { decodeListCursor, encodeListCursor } from "./list-cursor.ts"
import type {
  InvitationRecord,
  TeamMemberRecord,
  TeamRecord,
  TeamRepository,
  TeamRole,
} from "./team-types.ts"

interface TeamTables {
  team: { id: string; name: string; created_at: string }
  team_member: { team_id: string; user_id: string; role: string; created_at: string }
  project: { id: string }
  project_team: { project_id: string; team_id: string }
  project_deny: { project_id: string; user_id: string; created_at: string }
  team_policy: { team_id: string; require_two_factor: number }
  app_user: { id: string; email: string; name: string }
  team_invitation: {
    id: string
    token_hash: string
    team_id: string
    email: string
    role: string
    created_by: string
    created_at: string
    expires_at: string
    accepted_at: string | null
  }
}

const toTeam = (row: { id: string; name: string; created_at: string }): TeamRecord => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
})

const toMember = (row: {
  team_id: string
  user_id: string
  role: string
  created_at: string
  email: string
  name: string
}): TeamMemberRecord => ({
  teamId: row.team_id,
  userId: row.user_id,
  email: row.email,
  name: row.name,
  role: row.role as TeamRole,
  createdAt: row.created_at,
})

// biome-ignore lint/suspicious/noExplicitAny: the store's Database type does not list these tables
export function createTeamRepository(deps: { db: Kysely<any> }): TeamRepository {
  const db = deps.db as Kysely<TeamTables>
  const membersOf = (teamId: string) =>
    db
      .selectFrom("team_member")
      .innerJoin("app_user", "app_user.id", "team_member.user_id")
      .select(["team_member.team_id", "team_member.user_id", "team_member.role", "team_member.created_at"])
      .select(["app_user.email", "app_user.name"])
      .where("team_member.team_id", "=", teamId)
  return {
    async createTeam(input, owner) {
      await db.transaction().execute(async (transaction) => {
        await transaction
          .insertInto("team")
          .values({ id: input.id, name: input.name, created_at: input.createdAt })
          .execute()
        await transaction
          .insertInto("team_member")
          .values({ team_id: input.id, user_id: owner.userId, role: "owner", created_at: input.createdAt })
          .execute()
      })
      return input
    },
    async getTeam(id) {
      const row = await db.selectFrom("team").selectAll().where("id", "=", id).executeTakeFirst()
      return row && toTeam(row)
    },
    async teamsOf(userId) {
      const rows = await db
        .selectFrom("team_member")
        .innerJoin("team", "team.id", "team_member.team_id")
        .select(["team.id", "team.name", "team.created_at", "team_member.role"])
        .where("team_member.user_id", "=", userId)
        .orderBy("team.created_at")
        .orderBy("team.id")
        .execute()
      return rows.map((row) => ({ ...toTeam(row), role: row.role as TeamRole }))
    },
    async members(teamId) {
      const rows = await membersOf(teamId)
        .orderBy("team_member.created_at")
        .orderBy("team_member.user_id")
        .execute()
      return rows.map(toMember)
    },
    async membersPage(teamId, query) {
      let select = membersOf(teamId)
      if (query.cursor) {
        const [joinedAt, userId] = decodeListCursor("members", query.cursor, 2) as [string, string]
        select = select.where((eb) =>
          eb.or([
            eb("team_member.created_at", ">", joinedAt),
            eb.and([eb("team_member.created_at", "=", joinedAt), eb("team_member.user_id", ">", userId)]),
          ]),
        )
      }
      const rows = await select
        .orderBy("team_member.created_at")
        .orderBy("team_member.user_id")
        .limit(query.limit + 1)
        .execute()
      const items = rows.slice(0, query.limit).map(toMember)
      const last = items.at(-1)
      const more = rows.length > query.limit && last
      return { items, nextCursor: more ? encodeListCursor("members", [last.createdAt, last.userId]) : null }
    },
    async setMember(teamId, userId, role, at) {
      await db
        .insertInto("team_member")
        .values({ team_id: teamId, user_id: userId, role, created_at: at })
        .onConflict((conflict) => conflict.columns(["team_id", "user_id"]).doUpdateSet({ role }))
        .execute()
    },
    async removeMember(teamId, userId) {
      const result = await db
        .deleteFrom("team_member")
        .where("team_id", "=", teamId)
        .where("user_id", "=", userId)
        .executeTakeFirst()
      return Number(result.numDeletedRows) > 0
    },
    async roleIn(teamId, userId) {
      const row = await db
        .selectFrom("team_member")
        .select("role")
        .where("team_id", "=", teamId)
        .where("user_id", "=", userId)
        .executeTakeFirst()
      return row?.role as TeamRole | undefined
    },
    async teamOfProject(projectId) {
      const row = await db
        .selectFrom("project_team")
        .select("team_id")
        .where("project_id", "=", projectId)
        .executeTakeFirst()
      return row?.team_id
    },
    async assignProject(projectId, teamId) {
      await db
        .insertInto("project_team")
        .values({ project_id: projectId, team_id: teamId })
        .onConflict((conflict) => conflict.column("project_id").doUpdateSet({ team_id: teamId }))
        .execute()
    },
    async adoptUnowned(teamId) {
      const unowned = await db
        .selectFrom("project")
        .select("id")
        .where("id", "not in", db.selectFrom("project_team").select("project_id"))
        .execute()
      for (const { id } of unowned) {
        await db.insertInto("project_team").values({ project_id: id, team_id: teamId }).execute()
      }
      return unowned.length
    },
    async isDenied(projectId, userId) {
      const row = await db
        .selectFrom("project_deny")
        .select("project_id")
        .where("project_id", "=", projectId)
        .where("user_id", "=", userId)
        .executeTakeFirst()
      return row !== undefined
    },
    async setDenied(projectId, userId, denied, at) {
      if (denied) {
        await db
          .insertInto("project_deny")
          .values({ project_id: projectId, user_id: userId, created_at: at })
          .onConflict((conflict) => conflict.columns(["project_id", "user_id"]).doNothing())
          .execute()
      } else {
        await db
          .deleteFrom("project_deny")
          .where("project_id", "=", projectId)
          .where("user_id", "=", userId)
          .execute()
      }
    },
    async visibleProjectIds(userId) {
      const rows = await db
        .selectFrom("project_team")
        .innerJoin("team_member", "team_member.team_id", "project_team.team_id")
        .select("project_team.project_id")
        .where("team_member.user_id", "=", userId)
        .where(
          "project_team.project_id",
          "not in",
          db.selectFrom("project_deny").select("project_id").where("user_id", "=", userId),
        )
        .execute()
      return new Set(rows.map((row) => row.project_id))
    },
    async requiresTwoFactor(teamId) {
      const row = await db
        .selectFrom("team_policy")
        .select("require_two_factor")
        .where("team_id", "=", teamId)
        .executeTakeFirst()
      return Number(row?.require_two_factor ?? 0) === 1
    },
    async setRequiresTwoFactor(teamId, required) {
      await db
        .insertInto("team_policy")
        .values({ team_id: teamId, require_two_factor: required ? 1 : 0 })
        .onConflict((conflict) =>
          conflict.column("team_id").doUpdateSet({ require_two_factor: required ? 1 : 0 }),
        )
        .execute()
    },
    async createInvitation(input) {
      await db
        .insertInto("team_invitation")
        .values({
          id: input.id,
          token_hash: input.tokenHash,
          team_id: input.teamId,
          email: input.email,
          role: input.role,
          created_by: input.createdBy,
          created_at: input.createdAt,
          expires_at: input.expiresAt,
          accepted_at: null,
        })
        .execute()
    },
    async takeInvitation(tokenHash, now) {
      const row = await db
        .updateTable("team_invitation")
        .set({ accepted_at: now })
        .where("token_hash", "=", tokenHash)
        .where("accepted_at", "is", null)
        .where("expires_at", ">", now)
        .returningAll()
        .executeTakeFirst()
      if (!row) return undefined
      const invitation: InvitationRecord = {
        id: row.id,
        teamId: row.team_id,
        email: row.email,
        role: row.role as TeamRole,
        createdBy: row.created_by,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        acceptedAt: row.accepted_at,
      }
      return invitation
    },
  }
}
