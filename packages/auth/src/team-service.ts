import { AppError, newId } from "@xionimus/kit"
import type { User } from "@xionimus/protocol"
import type { AccountPolicyRepository, TeamRecord, TeamRepository, TeamRole } from "@xionimus/store"
import { createNetworkPolicy, type NetworkPolicy } from "./network-policy.ts"
import { hashSecret, randomSecret } from "./secrets.ts"
import type { Actor, Authenticated, AuthService } from "./types.ts"

/** What a user may do with a project: nothing, read it, change it, or manage it (delete, deny members). */
export type ProjectLevel = "none" | "read" | "write" | "manage"

const levelOfRole: Record<TeamRole, ProjectLevel> = {
  owner: "manage",
  editor: "write",
  commenter: "read",
  viewer: "read",
}
const rank: Record<ProjectLevel, number> = { none: 0, read: 1, write: 2, manage: 3 }

/** Whether `held` allows `needed`. */
export function levelCovers(held: ProjectLevel, needed: Exclude<ProjectLevel, "none">): boolean {
  return rank[held] >= rank[needed]
}

const dayMs = 86_400_000

/** Teams, roles and project access; the IP allow-list methods come from NetworkPolicy. */
export interface TeamService extends NetworkPolicy {
  /** Instance admins manage every project; others through their team role, unless denied on the project. */
  projectLevel(who: Authenticated, projectId: string): Promise<ProjectLevel>
  /**
   * Whether the project's team requires two-factor sign-in and this member has it off (instance admins
   * are exempt: they reach projects outside team roles).
   */
  twoFactorMissing(who: Authenticated, projectId: string): Promise<boolean>
  setTwoFactorRequired(teamId: string, required: boolean, actor: Actor): Promise<void>
  /** The member's role in the team; instance admins count as owners. */
  teamRole(who: Authenticated, teamId: string): Promise<TeamRole | undefined>
  /** The projects the user may see, or undefined for "all" (instance admins). */
  visibleProjects(who: Authenticated): Promise<string[] | undefined>
  /** The team a new project goes to: the given one, else the user's first where they may create. */
  teamForNewProject(who: Authenticated, teamId: string | undefined): Promise<string>
  assignProject(projectId: string, teamId: string): Promise<void>
  /** Every user gets a team of their own; the first user's team adopts the projects made before teams. */
  welcome(user: User, first: boolean): Promise<void>
  listTeams(userId: string): Promise<(TeamRecord & { role: TeamRole })[]>
  createTeam(who: Authenticated, name: string, actor: Actor): Promise<TeamRecord>
  /** Every member (for checks over the whole team; a client lists them with membersPage). */
  members(teamId: string): ReturnType<TeamRepository["members"]>
  /** A page of members in the order they joined; VALIDATION_FAILED for a cursor not of this list. */
  membersPage(
    teamId: string,
    query: { limit: number; cursor?: string | undefined },
  ): ReturnType<TeamRepository["membersPage"]>
  /** Changes (or adds) a membership; LAST_OWNER when it would leave the team without an owner. */
  setRole(teamId: string, userId: string, role: TeamRole, actor: Actor): Promise<void>
  removeMember(teamId: string, userId: string, actor: Actor): Promise<void>
  invite(
    teamId: string,
    input: { email: string; role: TeamRole; expiresInDays: number },
    actor: Actor,
  ): Promise<{ token: string; expiresAt: string }>
  /** Joins the invitation's team; INVITATION_INVALID when unknown, used, expired or for another e-mail. */
  accept(who: Authenticated, token: string, actor: Actor): Promise<TeamRecord>
  setDenied(projectId: string, userId: string, denied: boolean, actor: Actor): Promise<void>
}

export function createTeamService(deps: {
  teams: TeamRepository
  auth: AuthService
  /** Whether a user has two-factor sign-in on (for teams that require it). */
  hasTwoFactor?: (userId: string) => Promise<boolean>
  /** Team settings (the IP allow-list). */
  policies: AccountPolicyRepository
  clock?: () => Date
}): TeamService {
  const { teams, auth } = deps
  const clock = deps.clock ?? (() => new Date())
  const now = () => clock().toISOString()
  const record = (action: string, actor: Actor, target: string, details: Record<string, unknown> = {}) =>
    auth.audit({
      action,
      outcome: "success",
      actorUserId: actor.userId,
      actorKeyId: actor.keyId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      target,
      details,
    })

  async function requireTeam(teamId: string): Promise<TeamRecord> {
    const team = await teams.getTeam(teamId)
    if (!team)
      throw new AppError("TEAM_NOT_FOUND", `No team ${teamId}. List your teams to find the id.`, { teamId })
    return team
  }

  async function ensureOwnerRemains(
    teamId: string,
    userId: string,
    nextRole: TeamRole | null,
  ): Promise<void> {
    if (nextRole === "owner") return
    const members = await teams.members(teamId)
    const owners = members.filter((member) => member.role === "owner")
    if (owners.length === 1 && owners[0]!.userId === userId) {
      throw new AppError("LAST_OWNER", "A team needs at least one owner: make someone else owner first.", {
        teamId,
      })
    }
  }

  return {
    async projectLevel(who, projectId) {
      if (who.user.admin) return "manage"
      if (await teams.isDenied(projectId, who.user.id)) return "none"
      const teamId = await teams.teamOfProject(projectId)
      if (!teamId) return "none"
      const role = await teams.roleIn(teamId, who.user.id)
      return role ? levelOfRole[role] : "none"
    },
    async twoFactorMissing(who, projectId) {
      if (who.user.admin) return false
      const teamId = await teams.teamOfProject(projectId)
      if (!teamId || !(await teams.requiresTwoFactor(teamId))) return false
      return !(await deps.hasTwoFactor?.(who.user.id))
    },
    async setTwoFactorRequired(teamId, required, actor) {
      await requireTeam(teamId)
      await teams.setRequiresTwoFactor(teamId, required)
      await record("team.policy.changed", actor, teamId, { requireTwoFactor: required })
    },
    async teamRole(who, teamId) {
      if (who.user.admin) return "owner"
      return teams.roleIn(teamId, who.user.id)
    },
    async visibleProjects(who) {
      if (who.user.admin) return undefined
      return [...(await teams.visibleProjectIds(who.user.id))]
    },
    async teamForNewProject(who, teamId) {
      if (teamId) {
        await requireTeam(teamId)
        const role = who.user.admin ? "owner" : await teams.roleIn(teamId, who.user.id)
        if (!role)
          throw new AppError("TEAM_NOT_FOUND", `No team ${teamId}. List your teams to find the id.`, {
            teamId,
          })
        if (role !== "owner" && role !== "editor") {
          throw new AppError("FORBIDDEN", "Only owners and editors of a team may create projects in it.", {
            teamId,
          })
        }
        return teamId
      }
      const mine = await teams.teamsOf(who.user.id)
      const creatable = mine.find((team) => team.role === "owner" || team.role === "editor")
      if (!creatable) {
        throw new AppError("FORBIDDEN", "You are in no team where you may create projects; ask a team owner.")
      }
      return creatable.id
    },
    assignProject: (projectId, teamId) => teams.assignProject(projectId, teamId),
    async welcome(user, first) {
      const team = await teams.createTeam(
        { id: newId("tem"), name: `${user.name}'s team`, createdAt: now() },
        { userId: user.id },
      )
      if (first) await teams.adoptUnowned(team.id)
    },
    listTeams: (userId) => teams.teamsOf(userId),
    async createTeam(who, name, actor) {
      const team = await teams.createTeam(
        { id: newId("tem"), name, createdAt: now() },
        { userId: who.user.id },
      )
      await record("team.created", actor, team.id, { name })
      return team
    },
    members: (teamId) => teams.members(teamId),
    membersPage: (teamId, query) => teams.membersPage(teamId, query),
    async setRole(teamId, userId, role, actor) {
      await requireTeam(teamId)
      await ensureOwnerRemains(teamId, userId, role)
      const before = await teams.roleIn(teamId, userId)
      await teams.setMember(teamId, userId, role, now())
      await record("team.role.changed", actor, teamId, { userId, from: before ?? null, to: role })
    },
    async removeMember(teamId, userId, actor) {
      await ensureOwnerRemains(teamId, userId, null)
      if (!(await teams.removeMember(teamId, userId))) {
        throw new AppError("USER_NOT_FOUND", `User ${userId} is not a member of this team.`, {
          teamId,
          userId,
        })
      }
      await record("team.member.removed", actor, teamId, { userId })
    },
    async invite(teamId, input, actor) {
      await requireTeam(teamId)
      const token = randomSecret()
      const expiresAt = new Date(clock().getTime() + input.expiresInDays * dayMs).toISOString()
      await teams.createInvitation({
        id: newId("inv"),
        tokenHash: hashSecret(token),
        teamId,
        email: input.email,
        role: input.role,
        createdBy: actor.userId ?? "cli",
        createdAt: now(),
        expiresAt,
        acceptedAt: null,
      })
      await record("team.invitation.created", actor, teamId, {
        email: input.email,
        role: input.role,
        expiresAt,
      })
      return { token, expiresAt }
    },
    async accept(who, token, actor) {
      const invalid = () =>
        new AppError(
          "INVITATION_INVALID",
          "This invitation is wrong, used, expired or meant for another address.",
        )
      const invitation = await teams.takeInvitation(hashSecret(token), now())
      if (!invitation) throw invalid()
      if (invitation.email !== who.user.email) {
        await auth.audit({
          action: "team.invitation.accepted",
          outcome: "denied",
          actorUserId: actor.userId,
          actorKeyId: actor.keyId,
          ip: actor.ip,
          userAgent: actor.userAgent,
          target: invitation.teamId,
          details: { invited: invitation.email },
        })
        throw invalid()
      }
      const existing = await teams.roleIn(invitation.teamId, who.user.id)
      // An invitation never lowers a role the member holds already.
      if (!existing || rank[levelOfRole[invitation.role]] > rank[levelOfRole[existing]]) {
        await teams.setMember(invitation.teamId, who.user.id, invitation.role, now())
      }
      await record("team.invitation.accepted", actor, invitation.teamId, { role: invitation.role })
      return requireTeam(invitation.teamId)
    },
    async setDenied(projectId, userId, denied, actor) {
      await teams.setDenied(projectId, userId, denied, now())
      await record(denied ? "project.member.denied" : "project.member.allowed", actor, projectId, { userId })
    },
    ...createNetworkPolicy({ policies: deps.policies, teams, record }),
  }
}
