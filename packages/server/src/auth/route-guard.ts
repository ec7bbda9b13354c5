import type { Authenticated, AuthService } from "@xionimus/auth"
import { levelCovers, sameSecret, type TeamService } from "@xionimus/auth"
import { AppError, isAppError } from "@xionimus/kit"
import type { FastifyRequest } from "fastify"
import { type Access, scopeCovers, scopeNeeded } from "./access.ts"
import { csrfHeader } from "./auth-cookies.ts"
import { metaOf, type RequestIdentity } from "./request-identity.ts"

/** What the guard checks a route's target against (taken from the route's parameters). */
export interface Target {
  projectId?: string
  teamId?: string
  /** An agent session (`ses_…`): checked against its project's role; hidden as SESSION_NOT_FOUND. */
  sessionId?: string
  /** An orchestra run (`orc_…`): checked against its project's role; hidden as RUN_NOT_FOUND. */
  runId?: string
}

export interface RouteGuard {
  /**
   * Authenticates the request and checks `access`: the key's scope, CSRF for cookie sessions, the team
   * role on the target project or team. Raises AUTH_REQUIRED, AUTH_INVALID, CSRF_FAILED, FORBIDDEN,
   * PROJECT_NOT_FOUND, TEAM_NOT_FOUND or SESSION_NOT_FOUND; denials go to the audit log. Returns the principal (null on a
   * public route without credentials). A string target is a project id.
   */
  check(access: Access, request: FastifyRequest, target?: Target | string): Promise<Authenticated | null>
}

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"])

const ipNotAllowed = (ip: string, target: Record<string, string>) =>
  new AppError(
    "IP_NOT_ALLOWED",
    `This team only allows access from its listed addresses, and ${ip} is not one. Connect from an allowed network or ask a team owner.`,
    { ...target, ip },
  )

export function createRouteGuard(deps: {
  identity: RequestIdentity
  auth: AuthService
  teams: TeamService
  /** The project of an agent session, undefined when there is none. */
  sessionProject?: (sessionId: string) => Promise<string | undefined>
  /** The project of an orchestra run, undefined when there is none. */
  runProject?: (runId: string) => Promise<string | undefined>
}): RouteGuard {
  const { teams } = deps

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

  async function checkProject(
    request: FastifyRequest,
    who: Authenticated,
    access: Access,
    projectId: string,
    missing: () => AppError = () =>
      new AppError("PROJECT_NOT_FOUND", `No project ${projectId}. List your projects to find its id.`, {
        projectId,
      }),
  ) {
    const level = await teams.projectLevel(who, projectId)
    // A project one may not even read answers as missing: its id is not confirmed to outsiders.
    if (level === "none") throw await deny(request, who, access, missing())
    if (!(await teams.addressAllowedForProject(who, projectId, request.ip))) {
      throw await deny(request, who, access, ipNotAllowed(request.ip, { projectId }))
    }
    if (await teams.twoFactorMissing(who, projectId)) {
      throw await deny(
        request,
        who,
        access,
        new AppError(
          "TWO_FACTOR_REQUIRED",
          "This project's team requires two-factor sign-in. Turn it on (POST /api/auth/totp), then sign in again.",
          { projectId },
        ),
      )
    }
    const mode = access.slice("project:".length) as "read" | "write" | "manage"
    if (!levelCovers(level, mode)) {
      throw await deny(
        request,
        who,
        access,
        new AppError(
          "FORBIDDEN",
          `Your role lets you ${level} this project, not ${mode} it. Ask a team owner.`,
          {
            projectId,
            level,
          },
        ),
      )
    }
  }

  async function checkTeam(request: FastifyRequest, who: Authenticated, access: Access, teamId: string) {
    const role = await teams.teamRole(who, teamId)
    if (!role) {
      throw await deny(
        request,
        who,
        access,
        new AppError("TEAM_NOT_FOUND", `No team ${teamId}. List your teams to find its id.`, { teamId }),
      )
    }
    if (!(await teams.addressAllowedForTeam(who, teamId, request.ip))) {
      throw await deny(request, who, access, ipNotAllowed(request.ip, { teamId }))
    }
    if (access === "team:manage" && role !== "owner") {
      throw await deny(
        request,
        who,
        access,
        new AppError("FORBIDDEN", "Only the team's owners may change its members and invitations.", {
          teamId,
          role,
        }),
      )
    }
  }

  return {
    async check(access, request, given = {}) {
      // A bare string names a project (the common case).
      const target: Target = typeof given === "string" ? { projectId: given } : given
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
      if (target.projectId && access.startsWith("project:"))
        await checkProject(request, who, access, target.projectId)
      if (target.sessionId && access.startsWith("project:")) {
        const sessionId = target.sessionId
        const missing = () =>
          new AppError(
            "SESSION_NOT_FOUND",
            `No session ${sessionId}. List the project's sessions to find its id.`,
            { sessionId },
          )
        const projectId = await deps.sessionProject?.(sessionId)
        if (!projectId) throw await deny(request, who, access, missing())
        await checkProject(request, who, access, projectId, missing)
      }
      if (target.runId && access.startsWith("project:")) {
        const runId = target.runId
        const missing = () =>
          new AppError("RUN_NOT_FOUND", `No run ${runId}. List the project's runs to find its id.`, { runId })
        const projectId = await deps.runProject?.(runId)
        if (!projectId) throw await deny(request, who, access, missing())
        await checkProject(request, who, access, projectId, missing)
      }
      if (target.teamId && access.startsWith("team:")) await checkTeam(request, who, access, target.teamId)
      return who
    },
  }
}
