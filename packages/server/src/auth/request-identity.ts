import type { Authenticated, AuthService, RequestMeta } from "@xionimus/auth"
import { apiKeyPrefix } from "@xionimus/auth"
import { AppError } from "@xionimus/kit"
import type { FastifyRequest } from "fastify"
import { sessionCookie } from "./auth-cookies.ts"

/** Who sent a request: resolved once per request from the bearer key or the session cookie. */
export interface RequestIdentity {
  /**
   * The principal, or null without credentials. Raises AUTH_INVALID for a credential that was sent but
   * is wrong, expired or revoked (a key is never silently ignored).
   */
  of(request: FastifyRequest): Promise<Authenticated | null>
}

export function createRequestIdentity(auth: AuthService): RequestIdentity {
  const resolved = new WeakMap<FastifyRequest, Promise<Authenticated | null>>()
  async function resolve(request: FastifyRequest): Promise<Authenticated | null> {
    const header = request.headers.authorization
    if (header !== undefined && header !== "") {
      const match = /^Bearer\s+(\S+)$/i.exec(header)
      if (!match || !match[1]!.startsWith(apiKeyPrefix)) {
        throw new AppError(
          "AUTH_INVALID",
          "The Authorization header must be `Bearer xk_…` with an API key (create one with `xionimus api-key create`).",
        )
      }
      return auth.authenticateApiKey(match[1]!)
    }
    const token = request.cookies?.[sessionCookie]
    if (token) return auth.authenticateSession(token)
    return null
  }
  return {
    of(request) {
      let identity = resolved.get(request)
      if (!identity) {
        identity = resolve(request)
        resolved.set(request, identity)
      }
      return identity
    },
  }
}

/** The request's address and user agent, as recorded in sessions and the audit log. */
export function metaOf(request: FastifyRequest): RequestMeta {
  const agent = request.headers["user-agent"]
  return { ip: request.ip ?? null, userAgent: typeof agent === "string" ? agent.slice(0, 500) : null }
}
