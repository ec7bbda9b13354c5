import { AppError } from "@xionimus/kit"
import { QuotaOverrideBody, QuotaReport, TeamParams } from "@xionimus/protocol"
import { metaOf } from "../auth/request-identity.ts"
import { defineRoute, type Route } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"

/** Usage against quota for the signed-in user and for a team; administrators override a team's limits. */
export function quotaRoutes({ services }: RouteDeps): Route[] {
  const { quotas, auth } = services
  return [
    defineRoute({
      method: "GET",
      url: "/api/me/quotas",
      summary: "Your usage against your quotas (model spend, sandbox CPU time)",
      tags: ["usage"],
      access: "self:read",
      response: { 200: QuotaReport },
      handler: ({ principal }) => quotas.report("user", principal!.user.id),
    }),
    defineRoute({
      method: "GET",
      url: "/api/teams/:teamId/quotas",
      summary: "The team's usage against its quotas (model spend, sandbox CPU time, storage)",
      tags: ["usage"],
      access: "team:read",
      params: TeamParams,
      response: { 200: QuotaReport },
      handler: ({ params }) => quotas.report("team", params.teamId),
    }),
    defineRoute({
      method: "PUT",
      url: "/api/teams/:teamId/quotas",
      summary: "Override the team's quotas (instance administrators)",
      description:
        "A number replaces the configured limit (quotas.team), null lifts it, a missing key keeps the " +
        "configured one; an empty body removes the override.",
      tags: ["usage"],
      access: "admin",
      params: TeamParams,
      body: QuotaOverrideBody,
      response: { 200: QuotaReport },
      async handler({ params, body, request, principal }) {
        if (!(await services.store.teams.getTeam(params.teamId)))
          throw new AppError("TEAM_NOT_FOUND", `No team ${params.teamId}. List teams to find its id.`, {
            teamId: params.teamId,
          })
        const override = await quotas.setTeamOverride(params.teamId, body)
        await auth.audit({
          action: "team.quotas.changed",
          outcome: "success",
          actorUserId: principal!.user.id,
          actorKeyId: principal!.keyId,
          target: params.teamId,
          ...metaOf(request),
          details: { override },
        })
        return quotas.report("team", params.teamId)
      },
    }),
  ]
}
