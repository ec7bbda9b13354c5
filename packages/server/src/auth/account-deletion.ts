import type { Actor, AuthService, TeamService } from "@xionimus/auth"
import { AppError, type Logger } from "@xionimus/kit"
import type { Store } from "@xionimus/store"

export interface DeletionOutcome {
  sessionsDeleted: number
  sessionsTransferred: number
  projectsDeleted: number
}

/**
 * Deletes an account: its sign-in sessions, API keys, TOTP, identities, memberships and own provider
 * settings go; its agent sessions are deleted or handed to an owner of the project's team, as that team's
 * `deletedMemberSessions` policy says (default delete); projects of teams where it was the only member are
 * soft-deleted (restorable until purged). Audit entries stay. LAST_ADMIN when it is the last enabled
 * instance administrator; LAST_OWNER when it is the last owner of a team that has other members.
 */
export async function deleteAccount(
  deps: { store: Store; auth: AuthService; teams: TeamService; logger: Logger; purgeAfterDays: number },
  userId: string,
  actor: Actor,
): Promise<DeletionOutcome> {
  const { store, auth } = deps
  const user = await auth.getUser(userId)
  if (user.admin) {
    const admins = (await auth.listUsers()).filter((other) => other.admin && !other.disabledAt)
    if (admins.every((other) => other.id === userId)) {
      throw new AppError(
        "LAST_ADMIN",
        "This is the instance's last administrator. Make another user an administrator first.",
        { userId },
      )
    }
  }
  const teams = await deps.teams.listTeams(userId)
  const soleTeams: string[] = []
  for (const team of teams) {
    const members = await store.teams.members(team.id)
    if (members.every((member) => member.userId === userId)) {
      soleTeams.push(team.id)
      continue
    }
    const owners = members.filter((member) => member.role === "owner")
    if (owners.every((member) => member.userId === userId)) {
      throw new AppError(
        "LAST_OWNER",
        `You are the last owner of the team "${team.name}", which has other members. Make one of them an owner first.`,
        { teamId: team.id },
      )
    }
  }

  const outcome: DeletionOutcome = { sessionsDeleted: 0, sessionsTransferred: 0, projectsDeleted: 0 }
  const sessions = await store.accountPolicies.sessionsCreatedBy(userId)
  if (sessions === null) {
    // TODO(sessions): without the agent's session table there is nothing to delete or hand over.
    deps.logger.warn({ userId }, "no session table: the deleted user's sessions were not looked for")
  }
  for (const session of sessions ?? []) {
    const teamId = await store.teams.teamOfProject(session.projectId)
    const policy = teamId
      ? ((await store.accountPolicies.teamSetting(teamId)).deletedMemberSessions ?? "delete")
      : "delete"
    const heir =
      policy === "transfer" && teamId
        ? (await store.teams.members(teamId)).find(
            (member) => member.role === "owner" && member.userId !== userId,
          )
        : undefined
    if (heir) {
      await store.accountPolicies.transferSessions([session.id], heir.userId)
      outcome.sessionsTransferred++
    } else {
      await store.sessions.remove(session.id)
      outcome.sessionsDeleted++
    }
  }
  for (const teamId of soleTeams) {
    for (const projectId of await store.accountPolicies.teamProjectIds(teamId)) {
      const project = await store.projects.get(projectId)
      if (!project || project.deletedAt) continue
      await store.projects.softDelete(projectId, deps.purgeAfterDays)
      outcome.projectsDeleted++
    }
  }
  await store.accountPolicies.deleteUser(userId)
  await auth.audit({
    action: "account.deleted",
    outcome: "success",
    actorUserId: actor.userId,
    actorKeyId: actor.keyId,
    target: userId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    details: { email: user.email, self: actor.userId === userId, ...outcome },
  })
  return outcome
}
