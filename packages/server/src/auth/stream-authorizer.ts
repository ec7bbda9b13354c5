import type { EventBus } from "@xionimus/bus"
import { AppError } from "@xionimus/kit"
import type { FastifyRequest } from "fastify"
import type { RouteGuard } from "./route-guard.ts"
import { checkStreamAccess } from "./stream-access.ts"

/** Authorisation of the WebSocket endpoint: the upgrade itself, then each subscription. */
export function streamAuthorizer(guard: RouteGuard, bus: Pick<EventBus, "read">) {
  return {
    /**
     * Admits a signed-in client whose browser page is ours: a cookie-authenticated upgrade from another
     * origin (another site, or another app on another localhost port) is refused (cross-site WebSocket hijacking).
     */
    async admit(request: FastifyRequest): Promise<void> {
      const who = await guard.check("project:read", request)
      const origin = request.headers.origin
      if (who?.via === "session" && origin !== undefined) {
        let host: string | undefined
        try {
          host = new URL(origin).host
        } catch {
          host = undefined
        }
        if (host !== request.headers.host) {
          throw new AppError(
            "FORBIDDEN",
            "WebSocket connections with a session cookie must come from this server's own pages.",
            {
              origin,
            },
          )
        }
      }
    },
    /** Each subscription: checkStreamAccess. */
    subscribe: (request: FastifyRequest, stream: string) => checkStreamAccess(guard, bus, request, stream),
  }
}
