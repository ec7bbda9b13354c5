import type { Page } from "@xionimus/protocol"

export type TeamRole = "owner" | "editor" | "commenter" | "viewer"

export interface TeamRecord {
  id: string
  name: string
  createdAt: string
}

export interface TeamMemberRecord {
  teamId: string
  userId: string
  email: string
  name: string
  role: TeamRole
  createdAt: string
}

export interface InvitationRecord {
  id: string
  teamId: string
  email: string
  role: TeamRole
  createdBy: string
  createdAt: string
  expiresAt: string
  acceptedAt: string | null
}

export interface ListPageQuery {
  limit: number
  /** The previous page's `nextCursor`. */
  cursor?: string | undefined
}

/** Teams, memberships, project ownership, per-member denies and invitations. */
export interface TeamRepository {
  createTeam(input: TeamRecord, owner: { userId: string }): Promise<TeamRecord>
  getTeam(id: string): Promise<TeamRecord | undefined>
  /** The teams a user belongs to, with the user's role in each. */
  teamsOf(userId: string): Promise<(TeamRecord & { role: TeamRole })[]>
  /** Every member, in the order they joined. */
  members(teamId: string): Promise<TeamMemberRecord[]>
  /** A page of members in the order they joined; VALIDATION_FAILED for a cursor not of this list. */
  membersPage(teamId: string, query: ListPageQuery): Promise<Page<TeamMemberRecord>>
  /** Adds or changes a membership. */
  setMember(teamId: string, userId: string, role: TeamRole, at: string): Promise<void>
  /** Whether there was such a membership. */
  removeMember(teamId: string, userId: string): Promise<boolean>
  roleIn(teamId: string, userId: string): Promise<TeamRole | undefined>
  /** The project's team id, undefined for a project no team owns (only instance admins reach it). */
  teamOfProject(projectId: string): Promise<string | undefined>
  assignProject(projectId: string, teamId: string): Promise<void>
  /** Gives every project without a team to this team; returns how many. */
  adoptUnowned(teamId: string): Promise<number>
  isDenied(projectId: string, userId: string): Promise<boolean>
  setDenied(projectId: string, userId: string, denied: boolean, at: string): Promise<void>
  /** Ids of the projects the user reaches through a team and is not denied (for listing). */
  visibleProjectIds(userId: string): Promise<Set<string>>

  /** Whether the team's members must have two-factor sign-in on to reach its projects. */
  requiresTwoFactor(teamId: string): Promise<boolean>
  setRequiresTwoFactor(teamId: string, required: boolean): Promise<void>

  createInvitation(input: InvitationRecord & { tokenHash: string }): Promise<void>
  /** Marks the invitation accepted and returns it, atomically; undefined when unknown, used or expired. */
  takeInvitation(tokenHash: string, now: string): Promise<InvitationRecord | undefined>
}
