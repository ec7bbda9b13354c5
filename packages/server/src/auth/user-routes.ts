import {
  AccountDeletion,
  CreateUserBody,
  ResetLink,
  User,
  UserListQuery,
  UserPage,
  UserParams,
} from "@xionimus/protocol"
import { defineRoute, type Route } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"
import { deleteAccount } from "./account-deletion.ts"
import { metaOf } from "./request-identity.ts"

/** Instance administration of users: list, create (invite-only sign-up), disable, enable, reset links. */
export function userRoutes({ services, config, logger }: RouteDeps): Route[] {
  const { auth } = services
  const actor = (
    principal: { user: { id: string }; keyId: string | null } | null,
    request: Parameters<typeof metaOf>[0],
  ) => ({
    userId: principal?.user.id ?? null,
    keyId: principal?.keyId ?? null,
    ...metaOf(request),
  })
  return [
    defineRoute({
      method: "DELETE",
      url: "/api/users/:userId",
      summary: "Delete a user's account (administrators only)",
      description:
        "As DELETE /api/account for that user: LAST_ADMIN for the last administrator, LAST_OWNER while they are " +
        "the last owner of a team with other members.",
      tags: ["users"],
      access: "admin",
      params: UserParams,
      response: { 200: AccountDeletion },
      handler: ({ params, request, principal }) =>
        deleteAccount(
          {
            store: services.store,
            auth,
            teams: services.teams,
            logger,
            purgeAfterDays: config.projects.purgeAfterDays,
          },
          params.userId,
          actor(principal, request),
        ),
    }),
    defineRoute({
      method: "GET",
      url: "/api/users",
      summary: "The users, a page at a time by e-mail address (administrators only)",
      description:
        "`q` keeps the users whose e-mail address or name contains it, in any case. A cursor that is not a " +
        "`nextCursor` of this list is VALIDATION_FAILED: start again from the first page.",
      tags: ["users"],
      access: "admin",
      query: UserListQuery,
      response: { 200: UserPage },
      handler: ({ query }) => auth.listUsersPage(query),
    }),
    defineRoute({
      method: "POST",
      url: "/api/users",
      summary: "Create a user with an initial password (administrators only)",
      tags: ["users"],
      access: "admin",
      body: CreateUserBody,
      response: { 201: User },
      handler: ({ body, request, principal }) =>
        auth.createUser(
          {
            email: body.email,
            password: body.password,
            admin: body.admin,
            ...(body.name ? { name: body.name } : {}),
          },
          actor(principal, request),
        ),
    }),
    defineRoute({
      method: "POST",
      url: "/api/users/:userId/disable",
      summary: "Disable a user: ends their sessions, their keys stop working",
      tags: ["users"],
      access: "admin",
      params: UserParams,
      response: { 200: User },
      handler: ({ params, request, principal }) =>
        auth.setUserDisabled(params.userId, true, actor(principal, request)),
    }),
    defineRoute({
      method: "POST",
      url: "/api/users/:userId/enable",
      summary: "Enable a disabled user again",
      tags: ["users"],
      access: "admin",
      params: UserParams,
      response: { 200: User },
      handler: ({ params, request, principal }) =>
        auth.setUserDisabled(params.userId, false, actor(principal, request)),
    }),
    defineRoute({
      method: "POST",
      url: "/api/users/:userId/reset-link",
      summary: "A one-time password reset link for a user (valid 24 hours)",
      description: "The token sits in the URL's fragment, so that it never reaches server or proxy logs.",
      tags: ["users"],
      access: "admin",
      params: UserParams,
      response: { 201: ResetLink },
      async handler({ params, request, principal }) {
        const { token, expiresAt } = await auth.createResetToken(params.userId, actor(principal, request))
        const origin = `${request.protocol}://${request.host}`
        return { token, expiresAt, url: `${origin}/#/reset-password?token=${encodeURIComponent(token)}` }
      },
    }),
  ]
}
