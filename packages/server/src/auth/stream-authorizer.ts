import { AppError } from "@xionimus/kit"
import type { FastifyRequest } from "fastify"
import type { RouteGuard } from "./route-guard.ts"

const projectIdPattern = /^prj_[0-9a-f]{14}[0-9A-Za-z]{12}$/
/** A run's output stream, exec_<projectId>_<runId>, belongs to its project. */
const execStreamPattern = /^exec_(prj_[0-9a-f]{14}[0-9A-Za-z]{12})_run_/
/** An agent session's log: readable by whoever may read its project. */
const sessionStreamPattern = /^ses_[0-9A-Za-z_-]{1,64}$/

/** Authorisation of the WebSocket endpoint: the upgrade itself, then each subscription. */
export function streamAuthorizer(guard: RouteGuard) {
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
    /** A project's stream needs read access to that project; a session's, to the session's project. */
    async subscribe(request: FastifyRequest, stream: string): Promise<void> {
      if (sessionStreamPattern.test(stream)) {
        await guard.check("project:read", request, { sessionId: stream })
        return
      }
      const projectId = projectIdPattern.test(stream) ? stream : execStreamPattern.exec(stream)?.[1]
      await guard.check("project:read", request, projectId)
    },
  }
}
