import { Readable } from "node:stream"
import { AuditPage, AuditQuery } from "@xionimus/protocol"
import type { z } from "zod"
import { defineRoute, type Route, rawResponse } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"

/** The audit log (administrators only): filtered pages, and the whole filtered log as NDJSON. */
export function auditRoutes({ services }: RouteDeps): Route[] {
  const { auth } = services
  const filterOf = (query: z.output<typeof AuditQuery>) => ({
    ...(query.action ? { action: query.action } : {}),
    ...(query.actor ? { actorUserId: query.actor } : {}),
    ...(query.target ? { target: query.target } : {}),
    // Stored times are UTC ISO strings: compare like with like.
    ...(query.from ? { from: new Date(query.from).toISOString() } : {}),
    ...(query.to ? { to: new Date(query.to).toISOString() } : {}),
  })
  return [
    defineRoute({
      method: "GET",
      url: "/api/audit",
      summary:
        "Audit log entries, newest first, filtered by action, actor, target and time range (`from` ≤ time < `to`)",
      tags: ["audit"],
      access: "admin",
      query: AuditQuery,
      response: { 200: AuditPage },
      async handler({ query }) {
        const page = await auth.listAudit({
          ...filterOf(query),
          limit: query.limit,
          ...(query.cursor ? { before: query.cursor } : {}),
        })
        // Entries outlive accounts: an actor whose account is gone is shown as deleted.
        const existing = new Set((await auth.listUsers()).map((user) => user.id))
        return {
          ...page,
          items: page.items.map((entry) =>
            entry.actorUserId && !existing.has(entry.actorUserId) ? { ...entry, actorDeleted: true } : entry,
          ),
        }
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/audit/export",
      summary: "The filtered audit log as NDJSON (one entry per line, newest first)",
      tags: ["audit"],
      access: "admin",
      query: AuditQuery,
      response: { 200: rawResponse("application/x-ndjson", "One JSON audit entry per line") },
      handler({ query, reply }) {
        const filter = filterOf(query)
        reply.header("content-disposition", 'attachment; filename="xionimus-audit.ndjson"')
        return Readable.from(
          (async function* () {
            const existing = new Set((await auth.listUsers()).map((user) => user.id))
            let before = query.cursor
            do {
              const page = await auth.listAudit({ ...filter, limit: 500, ...(before ? { before } : {}) })
              for (const entry of page.items) {
                const gone = entry.actorUserId !== null && !existing.has(entry.actorUserId)
                yield `${JSON.stringify(gone ? { ...entry, actorDeleted: true } : entry)}\n`
              }
              before = page.nextCursor ?? undefined
            } while (before)
          })(),
        )
      },
    }),
  ]
}
