import type { AuditEntry } from "@xionimus/protocol"
import { defineRoute, type Route, rawResponse } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"
import { metaOf } from "./request-identity.ts"

/** Data rights: everything the instance holds about the signed-in user, as one JSON download. */
export function accountRoutes({ services }: RouteDeps): Route[] {
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
      summary: "Download your data: profile, teams, sessions, API keys (no secrets), audit entries about you",
      tags: ["auth"],
      access: "self:read",
      response: { 200: rawResponse("application/json", "Everything stored about you, as one JSON document") },
      async handler({ request, reply, principal }) {
        const userId = principal!.user.id
        const data = {
          exportedAt: new Date().toISOString(),
          user: await auth.getUser(userId),
          twoFactor: await totp.isEnabled(userId),
          teams: await teams.listTeams(userId),
          sessions: await auth.listSessions(userId),
          apiKeys: await auth.listApiKeys(userId),
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
  ]
}
