import type { PendingInvitation, TeamRole } from "@xionimus/protocol"
import type { AccountClient, ApiError, TeamMember } from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"
import { toApiError } from "../lib/to-api-error.ts"

export interface TeamSummary {
  id: string
  name: string
  createdAt: string
  /** The signed-in user's role in it. */
  role: TeamRole
}

/** An invitation made in this visit: the API keeps only a hash of its token, so the link is shown now or never. */
export interface CreatedInvitation {
  email: string
  role: TeamRole
  url: string
  expiresAt: string
}

export interface TeamState {
  teams: TeamSummary[]
  teamId: string | null
  members: TeamMember[]
  /** Where the next page of members starts; null when all are shown. */
  membersCursor: string | null
  loaded: boolean
  error: ApiError | null
  /** The signed-in user, to mark "you" and to keep the last owner from demoting themself by accident. */
  me: { id: string; admin: boolean } | null
  invitations: CreatedInvitation[]
  /** The chosen team's open invitations as the server lists them (owners and administrators only). */
  pending: PendingInvitation[]
  pendingCursor: string | null
  /** Listing them failed (the members still show). */
  pendingError: ApiError | null
}

type Outcome = Promise<ApiError | null>

export interface TeamSettings {
  state: Store<TeamState>
  load(): Promise<void>
  selectTeam(teamId: string): Promise<void>
  setRole(userId: string, role: TeamRole): Outcome
  removeMember(userId: string): Outcome
  invite(input: { email: string; role: TeamRole; expiresInDays: number }): Outcome
  /** The invitation's link stops working. */
  revokeInvitation(invitationId: string): Outcome
  /** The next page of members, or of open invitations, below the ones shown. */
  moreMembers(): Outcome
  morePending(): Outcome
}

/** Members and invitations come a page at a time. */
export const teamPageSize = 50

/** Who may change members and invite: the team's owners and instance administrators (team:manage). */
export function canManage(state: TeamState): boolean {
  const team = state.teams.find((item) => item.id === state.teamId)
  return Boolean(state.me?.admin) || team?.role === "owner"
}

/** The teams of the signed-in user, the chosen team's members and the invitations made here. */
export function createTeamSettings(account: AccountClient): TeamSettings {
  const state = createStore<TeamState>({
    teams: [],
    teamId: null,
    members: [],
    membersCursor: null,
    loaded: false,
    error: null,
    me: null,
    invitations: [],
    pending: [],
    pendingCursor: null,
    pendingError: null,
  })

  async function loadPending(teamId: string): Promise<void> {
    if (!canManage(state.get())) {
      state.patch({ pending: [], pendingCursor: null, pendingError: null })
      return
    }
    try {
      const page = await account.invitationsPage(teamId, { limit: teamPageSize })
      if (state.get().teamId === teamId)
        state.patch({ pending: page.items, pendingCursor: page.nextCursor, pendingError: null })
    } catch (error) {
      if (state.get().teamId === teamId)
        state.patch({ pending: [], pendingCursor: null, pendingError: toApiError(error) })
    }
  }

  async function loadMembers(teamId: string): Promise<void> {
    try {
      const page = await account.membersPage(teamId, { limit: teamPageSize })
      if (state.get().teamId === teamId)
        state.patch({ members: page.items, membersCursor: page.nextCursor, loaded: true, error: null })
    } catch (error) {
      state.patch({ loaded: true, error: toApiError(error) })
    }
  }

  async function attempt(run: () => Promise<void>): Outcome {
    try {
      await run()
      return null
    } catch (error) {
      return toApiError(error)
    }
  }

  function currentTeam(): string {
    const teamId = state.get().teamId
    if (!teamId) throw new Error("no team is chosen")
    return teamId
  }

  return {
    state,
    async load() {
      try {
        const [principal, teams] = await Promise.all([account.me(), account.teams()])
        const previous = state.get().teamId
        // An owned team first: that is where members and invitations are managed.
        const teamId =
          teams.find((team) => team.id === previous)?.id ??
          teams.find((team) => team.role === "owner")?.id ??
          teams[0]?.id ??
          null
        state.patch({ teams, teamId, me: { id: principal.user.id, admin: principal.user.admin } })
        if (teamId) await Promise.all([loadMembers(teamId), loadPending(teamId)])
        else state.patch({ members: [], loaded: true, error: null })
      } catch (error) {
        state.patch({ loaded: true, error: toApiError(error) })
      }
    },
    async selectTeam(teamId) {
      state.patch({
        teamId,
        members: [],
        membersCursor: null,
        loaded: false,
        invitations: [],
        pending: [],
        pendingCursor: null,
        pendingError: null,
      })
      await Promise.all([loadMembers(teamId), loadPending(teamId)])
    },
    setRole: (userId, role) =>
      attempt(async () => {
        const teamId = currentTeam()
        await account.setRole(teamId, userId, role)
        await loadMembers(teamId)
        // Demoting oneself changes what one may do here.
        if (userId === state.get().me?.id) {
          state.patch({ teams: await account.teams() })
        }
      }),
    removeMember: (userId) =>
      attempt(async () => {
        const teamId = currentTeam()
        await account.removeMember(teamId, userId)
        await loadMembers(teamId)
      }),
    invite: (input) =>
      attempt(async () => {
        const teamId = currentTeam()
        const invitation = await account.invite(teamId, input)
        state.set((previous) => ({
          ...previous,
          invitations: [
            { email: input.email, role: input.role, url: invitation.url, expiresAt: invitation.expiresAt },
            ...previous.invitations,
          ],
        }))
        await loadPending(teamId)
      }),
    moreMembers: () =>
      attempt(async () => {
        const { teamId, membersCursor } = state.get()
        if (!teamId || !membersCursor) return
        const page = await account.membersPage(teamId, { limit: teamPageSize, cursor: membersCursor })
        if (state.get().teamId !== teamId) return
        // A member already shown (the list changed between pages) is not shown twice.
        state.set((previous) => ({
          ...previous,
          members: [
            ...previous.members,
            ...page.items.filter((item) => !previous.members.some((shown) => shown.userId === item.userId)),
          ],
          membersCursor: page.nextCursor,
        }))
      }),
    morePending: () =>
      attempt(async () => {
        const { teamId, pendingCursor } = state.get()
        if (!teamId || !pendingCursor) return
        const page = await account.invitationsPage(teamId, { limit: teamPageSize, cursor: pendingCursor })
        if (state.get().teamId !== teamId) return
        state.set((previous) => ({
          ...previous,
          pending: [
            ...previous.pending,
            ...page.items.filter((item) => !previous.pending.some((shown) => shown.id === item.id)),
          ],
          pendingCursor: page.nextCursor,
        }))
      }),
    revokeInvitation: (invitationId) =>
      attempt(async () => {
        const teamId = currentTeam()
        const revoked = state.get().pending.find((item) => item.id === invitationId)
        try {
          await account.revokeInvitation(teamId, invitationId)
          // Its link, if it was made in this visit, no longer works: stop showing it.
          if (revoked)
            state.set((previous) => ({
              ...previous,
              invitations: previous.invitations.filter(
                (item) => item.email !== revoked.email || item.expiresAt !== revoked.expiresAt,
              ),
            }))
        } finally {
          // Revoked here or gone already (accepted, expired): the list shows what is still open.
          await loadPending(teamId)
        }
      }),
  }
}
