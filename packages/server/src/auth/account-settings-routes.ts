import { AppError } from "@xionimus/kit"
import {
  InvitationParams,
  Me,
  PageQuery,
  PendingInvitationPage,
  TeamParams,
  UpdatePreferencesBody,
  UpdateProfileBody,
  UserPreferences,
} from "@xionimus/protocol"
import { auditAction } from "../audit-action.ts"
import { defineRoute, emptyResponse, type Route } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"

/** What a user sets about themselves (preferences, display name), and a team's pending invitations. */
export function accountSettingsRoutes({ services }: RouteDeps): Route[] {
  const { auth, totp, llm, store } = services
  const settings = store.accountSettings
  const preferencesOf = async (userId: string): Promise<UserPreferences> => {
    const stored = await settings.preferences(userId)
    const language = UserPreferences.shape.language.safeParse(stored.language)
    return { defaultModel: stored.defaultModel, language: language.success ? language.data : null }
  }
  return [
    defineRoute({
      method: "GET",
      url: "/api/me/preferences",
      summary: "Your preferences: the model new sessions start with, the interface language",
      tags: ["auth"],
      access: "self:read",
      response: { 200: UserPreferences },
      handler: ({ principal }) => preferencesOf(principal!.user.id),
    }),
    defineRoute({
      method: "PUT",
      url: "/api/me/preferences",
      summary: "Change your preferences (the fields sent; null resets one to the default)",
      description:
        "`defaultModel` must be one of the models you can use (GET /api/models), else MODEL_NOT_FOUND. New " +
        "sessions created without a model start with it; without one, with the configuration's `models.default`.",
      tags: ["auth"],
      access: "self:write",
      body: UpdatePreferencesBody,
      response: { 200: UserPreferences },
      async handler({ body, request, principal }) {
        const userId = principal!.user.id
        if (body.defaultModel) {
          const { models } = await llm.listModels(userId)
          if (!models.some((model) => model.name === body.defaultModel)) {
            throw new AppError(
              "MODEL_NOT_FOUND",
              `You cannot use "${body.defaultModel}": choose one of your models (${models.map((model) => model.name).join(", ") || "none; add a provider first"}).`,
              { model: body.defaultModel },
            )
          }
        }
        await settings.updatePreferences(userId, body, new Date().toISOString())
        await auditAction(auth, request, principal, "account.preferences.changed", userId, { ...body })
        return preferencesOf(userId)
      },
    }),
    defineRoute({
      method: "PATCH",
      url: "/api/auth/me",
      summary: "Change your display name",
      tags: ["auth"],
      access: "self:write",
      body: UpdateProfileBody,
      response: { 200: Me },
      async handler({ body, request, principal }) {
        const who = principal!
        const previous = who.user.name
        if (!(await settings.renameUser(who.user.id, body.name)))
          throw new AppError("USER_NOT_FOUND", "Your account no longer exists.")
        await auditAction(auth, request, who, "account.renamed", who.user.id, {
          from: previous,
          to: body.name,
        })
        return {
          user: await auth.getUser(who.user.id),
          via: who.via,
          scope: who.scope,
          twoFactor: await totp.isEnabled(who.user.id),
        }
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/teams/:teamId/invitations",
      summary:
        "The team's pending invitations, a page at a time, newest first: address, role, expiry, who sent it; never the link (team owners)",
      description:
        "A cursor that is not a `nextCursor` of this list is VALIDATION_FAILED: start again from the first page.",
      tags: ["teams"],
      access: "team:manage",
      params: TeamParams,
      query: PageQuery,
      response: { 200: PendingInvitationPage },
      async handler({ params, query }) {
        const page = await settings.pendingInvitationsPage(params.teamId, new Date().toISOString(), query)
        return { items: page.items.map(({ teamId: _team, ...item }) => item), nextCursor: page.nextCursor }
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/teams/:teamId/invitations/:invitationId",
      summary: "Revoke a pending invitation: its link stops working (team owners)",
      tags: ["teams"],
      access: "team:manage",
      params: InvitationParams,
      response: { 204: emptyResponse("Revoked") },
      async handler({ params, request, principal }) {
        const revoked = await settings.revokeInvitation(
          params.teamId,
          params.invitationId,
          new Date().toISOString(),
        )
        if (!revoked)
          throw new AppError(
            "INVITATION_NOT_FOUND",
            "This invitation is no longer pending (accepted, expired or revoked already). Reload the list.",
            { invitationId: params.invitationId },
          )
        await auditAction(auth, request, principal, "team.invitation.revoked", params.teamId, {
          invitationId: revoked.id,
          email: revoked.email,
          role: revoked.role,
        })
        return undefined
      },
    }),
  ]
}
