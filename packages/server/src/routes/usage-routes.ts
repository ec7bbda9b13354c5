import { AppError } from "@xionimus/kit"
import { UsageQuery, UsageReport } from "@xionimus/protocol"
import { defineRoute, type Route } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"

/** Token and cost totals: your own calls; administrators (admin scope) may ask about anyone's. */
export function usageRoutes({ services }: RouteDeps): Route[] {
  const { store } = services
  return [
    defineRoute({
      method: "GET",
      url: "/api/usage",
      summary: "Model usage totals (tokens, cost, calls), optionally grouped by day, model, scope or outcome",
      tags: ["usage"],
      access: "self:read",
      query: UsageQuery,
      response: { 200: UsageReport },
      async handler({ query, principal }) {
        const who = principal!
        const admin = who.user.admin && who.scope === "admin"
        if (query.userId !== undefined && query.userId !== who.user.id && !admin)
          throw new AppError(
            "FORBIDDEN",
            "Only administrators may see other users' usage; leave userId out for yours.",
          )
        const { groupBy, ...filter } = query
        const scoped = admin ? filter : { ...filter, userId: who.user.id }
        const totals = await store.usage.totals(scoped)
        const groups = groupBy ? await store.usage.breakdown(scoped, groupBy) : []
        return { totals, ...(groupBy ? { groupBy } : {}), groups }
      },
    }),
  ]
}
