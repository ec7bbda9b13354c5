import { Share, ShareBody } from "@xionimus/protocol"
import { auditAction } from "../audit-action.ts"
import { defineRoute, type Route } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"
import {
  SessionParams,
  SharedParams,
  SharedQuery,
  SharedSession,
  ShareList,
  ShareParams,
} from "./session-schemas.ts"

/**
 * Read-only links to a session: created with an expiry, listed, revoked; and the public read of a shared
 * session (no account; secrets redacted; rate-limited per address, see auth/rate-limits.ts).
 */
export function shareRoutes({ services }: RouteDeps): Route[] {
  const { sessions } = services
  return [
    defineRoute({
      method: "POST",
      url: "/api/sessions/:sessionId/shares",
      summary: "Create a read-only link to the session (its token is shown in this answer only)",
      tags: ["sessions"],
      access: "project:write",
      params: SessionParams,
      body: ShareBody,
      response: { 201: Share },
      async handler({ params, body, request, principal }) {
        const share = await sessions.share(params.sessionId, {
          expiresInDays: body.expiresInDays,
          createdBy: principal?.user.id ?? null,
        })
        await auditAction(services.auth, request, principal, "session.share.created", params.sessionId, {
          shareId: share.id,
          expiresAt: share.expiresAt,
        })
        return share
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/sessions/:sessionId/shares",
      summary: "The session's share links (without their tokens), revoked and expired ones included",
      tags: ["sessions"],
      access: "project:read",
      params: SessionParams,
      response: { 200: ShareList },
      async handler({ params }) {
        return { items: await sessions.listShares(params.sessionId) }
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/sessions/:sessionId/shares/:shareId",
      summary: "Revoke a share link: it stops working at once",
      tags: ["sessions"],
      access: "project:write",
      params: ShareParams,
      response: { 200: Share },
      async handler({ params, request, principal }) {
        const share = await sessions.revokeShare(params.sessionId, params.shareId)
        await auditAction(services.auth, request, principal, "session.share.revoked", params.sessionId, {
          shareId: share.id,
        })
        return share
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/shared/:token",
      summary: "A shared session, read-only and without an account (secrets redacted)",
      description:
        "SHARE_NOT_FOUND for a wrong, revoked or expired link. Pages like the session's events: `after`, `limit`.",
      tags: ["sessions"],
      access: "public",
      params: SharedParams,
      query: SharedQuery,
      response: { 200: SharedSession },
      async handler({ params, query, reply }) {
        const shared = await sessions.readShared(params.token, { after: query.after, limit: query.limit })
        // The token is in the URL: keep the answer out of shared caches and referrers.
        reply.header("cache-control", "private, no-store")
        return { session: shared.session, items: shared.events, head: shared.head }
      },
    }),
  ]
}
