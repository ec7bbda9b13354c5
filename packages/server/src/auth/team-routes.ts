import { AppError } from "@xionimus/kit"
import {
  AcceptInvitationBody,
  CreateInvitationBody,
  CreateTeamBody,
  Invitation,
  PageQuery,
  ProjectMemberParams,
  SetRoleBody,
  Team,
  TeamList,
  TeamMemberPage,
  TeamMemberParams,
  TeamNetwork,
  TeamParams,
  TeamPolicy,
} from "@xionimus/protocol"
import type { FastifyRequest } from "fastify"
import { defineRoute, emptyResponse, type Route } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"
import { metaOf } from "./request-identity.ts"

/** Teams: list and create yours, members and roles, invitations, and per-member denies on a project. */
export function teamRoutes({ services }: RouteDeps): Route[] {
  const { teams, auth } = services
  const actor = (
    principal: { user: { id: string }; keyId: string | null } | null,
    request: FastifyRequest,
  ) => ({
    userId: principal?.user.id ?? null,
    keyId: principal?.keyId ?? null,
    ...metaOf(request),
  })
  return [
    defineRoute({
      method: "GET",
      url: "/api/teams",
      summary: "Your teams, with your role in each",
      tags: ["teams"],
      access: "self:read",
      response: { 200: TeamList },
      handler: async ({ principal }) => ({ items: await teams.listTeams(principal!.user.id) }),
    }),
    defineRoute({
      method: "POST",
      url: "/api/teams",
      summary: "Create a team; you become its owner",
      tags: ["teams"],
      access: "self:write",
      body: CreateTeamBody,
      response: { 201: Team },
      handler: ({ body, request, principal }) =>
        teams.createTeam(principal!, body.name, actor(principal, request)),
    }),
    defineRoute({
      method: "GET",
      url: "/api/teams/:teamId/members",
      summary: "A team's members and their roles, a page at a time in the order they joined (members only)",
      description:
        "A cursor that is not a `nextCursor` of this list is VALIDATION_FAILED: start again from the first page.",
      tags: ["teams"],
      access: "team:read",
      params: TeamParams,
      query: PageQuery,
      response: { 200: TeamMemberPage },
      handler: ({ params, query }) => teams.membersPage(params.teamId, query),
    }),
    defineRoute({
      method: "PUT",
      url: "/api/teams/:teamId/members/:userId",
      summary: "Set a member's role (team owners); refused when it would leave no owner",
      tags: ["teams"],
      access: "team:manage",
      params: TeamMemberParams,
      body: SetRoleBody,
      response: { 204: emptyResponse("Role set") },
      async handler({ params, body, request, principal }) {
        await auth.getUser(params.userId)
        await teams.setRole(params.teamId, params.userId, body.role, actor(principal, request))
        return undefined
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/teams/:teamId/members/:userId",
      summary: "Remove a member (team owners)",
      tags: ["teams"],
      access: "team:manage",
      params: TeamMemberParams,
      response: { 204: emptyResponse("Removed") },
      async handler({ params, request, principal }) {
        await teams.removeMember(params.teamId, params.userId, actor(principal, request))
        return undefined
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/teams/:teamId/invitations",
      summary: "Invite someone by e-mail with a role (team owners); the link works once, until it expires",
      tags: ["teams"],
      access: "team:manage",
      params: TeamParams,
      body: CreateInvitationBody,
      response: { 201: Invitation },
      async handler({ params, body, request, principal }) {
        const { token, expiresAt } = await teams.invite(params.teamId, body, actor(principal, request))
        const url = `${request.protocol}://${request.host}/#/invitation?token=${encodeURIComponent(token)}`
        return { token, url, expiresAt }
      },
    }),
    defineRoute({
      method: "PUT",
      url: "/api/teams/:teamId/policy",
      summary:
        "Set the team's policy: require two-factor sign-in of its members; what becomes of a deleted member's sessions (team owners)",
      tags: ["teams"],
      access: "team:manage",
      params: TeamParams,
      body: TeamPolicy,
      response: { 200: TeamPolicy },
      async handler({ params, body, request, principal }) {
        const by = actor(principal, request)
        if (body.requireTwoFactor !== undefined)
          await teams.setTwoFactorRequired(params.teamId, body.requireTwoFactor, by)
        const policies = services.store.accountPolicies
        if (body.deletedMemberSessions !== undefined) {
          await policies.updateTeamSetting(params.teamId, {
            deletedMemberSessions: body.deletedMemberSessions,
          })
          await auth.audit({
            action: "team.policy.changed",
            outcome: "success",
            actorUserId: by.userId,
            actorKeyId: by.keyId,
            target: params.teamId,
            ip: by.ip,
            userAgent: by.userAgent,
            details: { deletedMemberSessions: body.deletedMemberSessions },
          })
        }
        return {
          requireTwoFactor: await services.store.teams.requiresTwoFactor(params.teamId),
          deletedMemberSessions:
            (await policies.teamSetting(params.teamId)).deletedMemberSessions ?? "delete",
        }
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/teams/:teamId/network",
      summary: "The team's IP allow-list (empty: members may come from anywhere)",
      tags: ["teams"],
      access: "team:read",
      params: TeamParams,
      response: { 200: TeamNetwork },
      handler: async ({ params }) => ({ allow: (await teams.allowList(params.teamId)) ?? [] }),
    }),
    defineRoute({
      method: "PUT",
      url: "/api/teams/:teamId/network",
      summary:
        "Set the team's IP allow-list: addresses and CIDRs members may sign in and work from (team owners)",
      description:
        "An empty list lifts the restriction. A list that leaves out your own address is refused " +
        "(VALIDATION_FAILED). Members outside the list get IP_NOT_ALLOWED at sign-in and on the team's projects.",
      tags: ["teams"],
      access: "team:manage",
      params: TeamParams,
      body: TeamNetwork,
      response: { 200: TeamNetwork },
      async handler({ params, body, request, principal }) {
        const allow = await teams.setAllowList(params.teamId, body.allow, actor(principal, request))
        return { allow: allow ?? [] }
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/invitations/accept",
      summary: "Accept an invitation meant for your e-mail address and join its team",
      tags: ["teams"],
      access: "self:write",
      body: AcceptInvitationBody,
      response: { 200: Team },
      handler: ({ body, request, principal }) =>
        teams.accept(principal!, body.token, actor(principal, request)),
    }),
    defineRoute({
      method: "PUT",
      url: "/api/projects/:projectId/denies/:userId",
      summary: "Deny one member access to this project, whatever their team role (project managers)",
      tags: ["teams"],
      access: "project:manage",
      params: ProjectMemberParams,
      response: { 204: emptyResponse("Denied") },
      async handler({ params, request, principal }) {
        if (params.userId === principal!.user.id) {
          throw new AppError("VALIDATION_FAILED", "You cannot deny yourself; ask another owner.", {
            issues: [{ in: "params", path: "userId", code: "custom", message: "is you" }],
          })
        }
        await auth.getUser(params.userId)
        await teams.setDenied(params.projectId, params.userId, true, actor(principal, request))
        return undefined
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/projects/:projectId/denies/:userId",
      summary: "Lift a member's deny on this project (project managers)",
      tags: ["teams"],
      access: "project:manage",
      params: ProjectMemberParams,
      response: { 204: emptyResponse("Allowed again") },
      async handler({ params, request, principal }) {
        await teams.setDenied(params.projectId, params.userId, false, actor(principal, request))
        return undefined
      },
    }),
  ]
}
