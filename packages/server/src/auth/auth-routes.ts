import { AppError, isAppError } from "@xionimus/kit"
import {
  AuthStatus,
  ChangePasswordBody,
  LoginBody,
  LoginSessionList,
  LoginSessionParams,
  Me,
  type Principal,
  ResetPasswordBody,
  SetupBody,
  User,
} from "@xionimus/protocol"
import { z } from "zod"
import { defineRoute, emptyResponse, type Route } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"
import { clearSessionCookies, setSessionCookies } from "./auth-cookies.ts"
import type { FirstRun } from "./first-run.ts"
import { metaOf, type RequestIdentity } from "./request-identity.ts"

const SignedIn = z.object({ user: User })

const principalOf = (who: { user: User; via: "session" | "api-key"; scope: Principal["scope"] }) => ({
  user: who.user,
  via: who.via,
  scope: who.scope,
})

/** First run, sign-in and out, the signed-in user's sessions and password, reset links. */
export function authRoutes(
  { services }: RouteDeps,
  { firstRun, identity }: { firstRun: FirstRun; identity: RequestIdentity },
): Route[] {
  const { auth } = services
  return [
    defineRoute({
      method: "GET",
      url: "/api/auth/status",
      summary: "Whether the owner exists yet, and who this request is signed in as",
      tags: ["auth"],
      access: "public",
      response: { 200: AuthStatus },
      async handler({ request }) {
        const setupRequired = await auth.setupRequired()
        const who = await identity.of(request).catch((error: unknown) => {
          if (isAppError(error) && error.code === "AUTH_INVALID") return null
          throw error
        })
        return {
          setupRequired,
          setupFromHere: setupRequired && firstRun.fromMachine(request),
          principal: who ? principalOf(who) : null,
        }
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/auth/setup",
      summary: "First run: create the owner (an instance admin) and sign in",
      description:
        "Allowed from the machine itself (loopback, no proxy headers), or with the setup token from the server log. " +
        "Refused with SETUP_DONE once an owner exists.",
      tags: ["auth"],
      access: "public",
      body: SetupBody,
      response: { 201: SignedIn },
      async handler({ body, request, reply }) {
        if (!(await auth.setupRequired()))
          throw new AppError("SETUP_DONE", "The owner exists already. Sign in instead.")
        if (!firstRun.fromMachine(request) && !firstRun.tokenMatches(body.setupToken)) {
          await auth.audit({
            action: "auth.setup",
            outcome: "denied",
            actorUserId: null,
            actorKeyId: null,
            target: body.email,
            ...metaOf(request),
            details: { reason: body.setupToken ? "wrong-token" : "no-token" },
          })
          throw new AppError(
            "SETUP_TOKEN_INVALID",
            "Create the owner from a browser on the server's machine, or enter the setup token printed in the server log.",
          )
        }
        const issued = await auth.setupOwner(
          { email: body.email, password: body.password, ...(body.name ? { name: body.name } : {}) },
          metaOf(request),
        )
        setSessionCookies(request, reply, issued)
        return { user: issued.user }
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/auth/login",
      summary: "Sign in with e-mail and password; sets the session and CSRF cookies",
      tags: ["auth"],
      access: "public",
      body: LoginBody,
      response: { 200: SignedIn },
      async handler({ body, request, reply }) {
        // A fresh session every time: a session id planted before sign-in is never promoted (fixation).
        const issued = await auth.login(body, metaOf(request))
        setSessionCookies(request, reply, issued)
        return { user: issued.user }
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/auth/logout",
      summary: "Sign out: ends this browser session and clears its cookies",
      tags: ["auth"],
      access: "self:read",
      response: { 204: emptyResponse("Signed out") },
      async handler({ request, reply, principal }) {
        await auth.logout(principal!, metaOf(request))
        clearSessionCookies(request, reply)
        return undefined
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/auth/me",
      summary: "Who this request is signed in as, and whether two-factor sign-in is on for them",
      tags: ["auth"],
      access: "self:read",
      response: { 200: Me },
      handler: async ({ principal }) => ({
        ...principalOf(principal!),
        twoFactor: await services.totp.isEnabled(principal!.user.id),
      }),
    }),
    defineRoute({
      method: "POST",
      url: "/api/auth/password",
      summary: "Change your password (ends your other sessions)",
      tags: ["auth"],
      access: "self:write",
      body: ChangePasswordBody,
      response: { 204: emptyResponse("Password changed") },
      async handler({ body, request, principal }) {
        await auth.changePassword(principal!, body, metaOf(request))
        return undefined
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/auth/sessions",
      summary: "Your browser sessions",
      tags: ["auth"],
      access: "self:read",
      response: { 200: LoginSessionList },
      async handler({ principal }) {
        const sessions = await auth.listSessions(principal!.user.id)
        return {
          items: sessions.map((session) => ({ ...session, current: session.id === principal!.sessionId })),
        }
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/auth/sessions/:sessionId",
      summary: "End one of your browser sessions",
      tags: ["auth"],
      access: "self:write",
      params: LoginSessionParams,
      response: { 204: emptyResponse("Session ended") },
      async handler({ params, request, reply, principal }) {
        await auth.revokeSession(principal!, params.sessionId, metaOf(request))
        if (params.sessionId === principal!.sessionId) clearSessionCookies(request, reply)
        return undefined
      },
    }),
    defineRoute({
      method: "POST",
      url: "/api/auth/reset",
      summary: "Set a new password with a reset token from an administrator (ends all sessions)",
      tags: ["auth"],
      access: "public",
      body: ResetPasswordBody,
      response: { 204: emptyResponse("Password set; sign in with it") },
      async handler({ body, request }) {
        await auth.resetPassword(body, metaOf(request))
        return undefined
      },
    }),
  ]
}
