import type { Authenticated, AuthService } from "@xionimus/auth"
import { sameSecret } from "@xionimus/auth"
import { AppError, isAppError } from "@xionimus/kit"
import type { FastifyRequest } from "fastify"
import { type Access, scopeCovers, scopeNeeded } from "./access.ts"
import { csrfHeader } from "./auth-cookies.ts"
import { metaOf, type RequestIdentity } from "./request-identity.ts"

/** Decides whether a principal may read or change a project (teams and roles plug in here). */
export type ProjectPolicy = (
  who: Authenticated,
  projectId: string,
  mode: "read" | "write",
) => Promise<boolean>

export interface RouteGuard {
  /**
   * Authenticates the request and checks `access` (scope, CSRF for cookie sessions, project policy).
   * Raises AUTH_REQUIRED, AUTH_INVALID, CSRF_FAILED or FORBIDDEN; denials go to the audit log.
   * Returns the principal (null on a public route without credentials).
   */
  check(access: Access, request: FastifyRequest, projectId?: string): Promise<Authenticated | null>
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"])

/** Signed-in users may use every project until teams narrow it. */
export const everyProject: ProjectPolicy = async () => true

export function createRouteGuard(deps: {
  identity: RequestIdentity
  auth: AuthService
  projectPolicy?: ProjectPolicy
}): RouteGuard {
  const policy = deps.projectPolicy ?? everyProject

  async function deny(request: FastifyRequest, who: Authenticated | null, access: Access, error: AppError) {
    await deps.auth.audit({
      action: "access.denied",
      outcome: "denied",
      actorUserId: who?.user.id ?? null,
      actorKeyId: who?.keyId ?? null,
      target: request.routeOptions.url ?? request.url,
      ...metaOf(request),
      details: { method: request.method, path: request.url.split("?")[0], access, code: error.code },
    })
    return error
  }

  return {
    async check(access, request, projectId) {
      let who: Authenticated | null
      try {
        who = await deps.identity.of(request)
      } catch (error) {
        if (!isAppError(error) || error.code !== "AUTH_INVALID") throw error
        // A stale cookie must not stand in the way of signing in again; a bad key is always refused, so
        // that a program learns its key is wrong.
        if (access === "public" && !request.headers.authorization) return null
        throw await deny(request, null, access, error)
      }
      const needed = scopeNeeded(access)
      if (needed === null) return who
      if (!who) {
        throw new AppError("AUTH_REQUIRED", "Sign in, or send an API key as `Authorization: Bearer xk_…`.")
      }
      if (who.via === "session" && !safeMethods.has(request.method)) {
        const sent = request.headers[csrfHeader]
        if (typeof sent !== "string" || !who.csrfToken || !sameSecret(sent, who.csrfToken)) {
          throw await deny(
            request,
            who,
            access,
            new AppError(
              "CSRF_FAILED",
              `Send the value of the xionimus_csrf cookie in the ${csrfHeader} header with every change.`,
            ),
          )
        }
      }
      if (!scopeCovers(who.scope, needed) || (access === "admin" && !who.user.admin)) {
        throw await deny(
          request,
          who,
          access,
          new AppError(
            "FORBIDDEN",
            access === "admin"
              ? "Only an instance administrator may do this."
              : `This API key has scope ${who.scope}; this needs ${needed}. Use a key with a wider scope.`,
            { needed, scope: who.scope },
          ),
        )
      }
      if (projectId && access.startsWith("project:")) {
        const mode = needed === "read" ? "read" : "write"
        if (!(await policy(who, projectId, mode))) {
          throw await deny(
            request,
            who,
            access,
            new AppError("FORBIDDEN", `You may not ${mode} this project. Ask one of its owners for access.`, {
              projectId,
            }),
          )
        }
      }
      return who
    },
  }
}
