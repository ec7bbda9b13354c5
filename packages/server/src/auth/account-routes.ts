import { AppError } from "@xionimus/kit"
import { AccountDeletion, type AuditEntry, DeleteAccountBody } from "@xionimus/protocol"
import { defineRoute, type Route, rawResponse } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"
import { deleteAccount } from "./account-deletion.ts"
import { clearSessionCookies } from "./auth-cookies.ts"
import { metaOf } from "./request-identity.ts"

// Deleting one's account without the password needs a browser sign-in at most this old.
const recentSignInMs = 10 * 60_000

/** Data rights: everything the instance holds about the signed-in user, as one JSON download. */
export function accountRoutes({ services, config, logger }: RouteDeps): Route[] {
  const { auth, teams, totp } = services
  async function auditAbout(userId: string): Promise<AuditEntry[]> {
    const entries = new Map<string, AuditEntry>()
    for (const filter of [{ actorUserId: userId }, { target: userId }]) {
      let before: string | undefined
      do {
        const page = await auth.listAudit({ ...filter, limit: 500, ...(before ? { before } : {}) })
        for (const entry of page.items) entries.set(entry.id, entry)
        before = page.nextCursor ?? undefined
      } while (before)
    }
    return [...entries.values()].sort((a, b) => (a.id < b.id ? 1 : -1))
  }
  return [
    defineRoute({
      method: "GET",
      url: "/api/account/export",
      summary:
        "Download your data: profile, preferences, teams, sessions, API keys (no secrets), audit entries about you",
      tags: ["auth"],
      access: "self:read",
      response: { 200: rawResponse("application/json", "Everything stored about you, as one JSON document") },
      async handler({ request, reply, principal }) {
        const userId = principal!.user.id
        const data = {
          exportedAt: new Date().toISOString(),
          user: await auth.getUser(userId),
          twoFactor: await totp.isEnabled(userId),
          preferences: await services.store.accountSettings.preferences(userId),
          teams: await teams.listTeams(userId),
          sessions: await auth.listSessions(userId),
          apiKeys: await auth.listApiKeys(userId),
          agentSessions: (await services.store.accountPolicies.sessionsCreatedBy(userId)) ?? [],
          audit: await auditAbout(userId),
        }
        await auth.audit({
          action: "account.exported",
          outcome: "success",
          actorUserId: userId,
          actorKeyId: principal!.keyId,
          target: userId,
          ...metaOf(request),
          details: {},
        })
        reply.header("content-disposition", 'attachment; filename="xionimus-account.json"')
        return JSON.stringify(data, null, 2)
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/account",
      summary: "Delete your account (password, or a browser sign-in of the last ten minutes)",
      description:
        "Ends your sessions and removes your keys, two-factor settings, identities and memberships; your agent " +
        "sessions are deleted or handed to a team owner by each team's policy. Audit entries stay. LAST_ADMIN for " +
        "the last administrator, LAST_OWNER for the last owner of a team with other members, REAUTH_REQUIRED " +
        "without the password and a recent sign-in, AUTH_INVALID for a wrong password.",
      tags: ["auth"],
      access: "self:write",
      body: DeleteAccountBody,
      response: { 200: AccountDeletion },
      async handler({ body, request, reply, principal }) {
        const who = principal!
        const userId = who.user.id
        const meta = metaOf(request)
        if (body.password !== undefined) {
          if (!(await auth.checkPassword(userId, body.password))) {
            await auth.audit({
              action: "account.deleted",
              outcome: "failure",
              actorUserId: userId,
              actorKeyId: who.keyId,
              target: userId,
              ...meta,
              details: { reason: "wrong-password" },
            })
            throw new AppError("AUTH_INVALID", "The password is wrong.")
          }
        } else {
          const session = who.sessionId
            ? (await auth.listSessions(userId)).find((item) => item.id === who.sessionId)
            : undefined
          if (!session || Date.now() - Date.parse(session.createdAt) > recentSignInMs) {
            throw new AppError(
              "REAUTH_REQUIRED",
              "Send your password (or sign in again and delete within ten minutes) to delete your account.",
            )
          }
        }
        const outcome = await deleteAccount(
          { store: services.store, auth, teams, logger, purgeAfterDays: config.projects.purgeAfterDays },
          userId,
          { userId, keyId: who.keyId, ...meta },
        )
        clearSessionCookies(request, reply)
        return outcome
      },
    }),
  ]
}
