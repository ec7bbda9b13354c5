import { AppError } from "@xionimus/kit"
import type { FastifyInstance } from "fastify"
import { z } from "zod"
import { accessLevels } from "./auth/access.ts"
import type { RouteGuard } from "./auth/route-guard.ts"
import { type Route, successStatus } from "./define-route.ts"
import type { OpenApiBuilder } from "./openapi.ts"
import {
  type InputLocation,
  type ParsedInput,
  parseInput,
  unexpectedInput,
  validationError,
} from "./validate-input.ts"

const projectIdPattern = /^prj_[0-9a-f]{14}[0-9A-Za-z]{12}$/
const teamIdPattern = /^tem_[0-9a-f]{14}[0-9A-Za-z]{12}$/
/** A run's output stream, exec_<projectId>_<runId>, belongs to its project. */
const execStreamProject = /^exec_(prj_[0-9a-f]{14}[0-9A-Za-z]{12})_run_/
/** An agent session, whose project decides access (its log is the stream named by its id). */
const sessionIdPattern = /^ses_[0-9A-Za-z_-]{1,64}$/
/** An orchestra run, whose project decides access. */
const runIdPattern = /^orc_[0-9A-Za-z_-]{1,64}$/

/**
 * Registers a defineRoute route on the app and documents it in the OpenAPI document. Throws when the
 * route declares no access level, so that an unguarded route cannot be added by forgetting.
 */
export function mountRoute(
  app: FastifyInstance,
  openapi: OpenApiBuilder,
  route: Route,
  guard: RouteGuard,
): void {
  if (!(accessLevels as readonly string[]).includes(route.access)) {
    throw new Error(
      `${route.method} ${route.url} declares no valid access level (one of ${accessLevels.join(", ")}).`,
    )
  }
  openapi.addRoute(route)
  const status = successStatus(route)
  app.route({
    method: route.method,
    url: route.url,
    ...(route.bodyLimit ? { bodyLimit: route.bodyLimit } : {}),
    handler: async (request, reply) => {
      // Authorisation comes first, so that a caller who may not use the route learns nothing about its inputs.
      const raw = (request.params ?? {}) as Record<string, unknown>
      const projectId =
        [raw.projectId, raw.stream].find(
          (value): value is string => typeof value === "string" && projectIdPattern.test(value),
        ) ?? (typeof raw.stream === "string" ? execStreamProject.exec(raw.stream)?.[1] : undefined)
      const teamId = typeof raw.teamId === "string" && teamIdPattern.test(raw.teamId) ? raw.teamId : undefined
      const sessionId = [raw.sessionId, raw.stream].find(
        (value): value is string => typeof value === "string" && sessionIdPattern.test(value),
      )
      const runId = typeof raw.runId === "string" && runIdPattern.test(raw.runId) ? raw.runId : undefined
      const principal = await guard.check(route.access, request, {
        ...(projectId ? { projectId } : {}),
        ...(teamId ? { teamId } : {}),
        ...(sessionId ? { sessionId } : {}),
        ...(runId ? { runId } : {}),
      })
      // @fastify/multipart accepts form uploads on every route; only the upload routes read them.
      if (!route.multipart && /^multipart\//i.test(request.headers["content-type"] ?? "")) {
        throw new AppError("UNSUPPORTED_MEDIA_TYPE", "This route takes a JSON body, not multipart/form-data.")
      }
      // All three parts are checked so that one answer names every bad field.
      const parts = [
        parse("params", route.params, request.params),
        parse("query", route.query, request.query),
        route.multipart ? ({ ok: true, value: undefined } as const) : parse("body", route.body, request.body),
      ] as const
      const issues = parts.flatMap((part) => (part.ok ? [] : part.issues))
      if (issues.length > 0) throw validationError(issues)
      const [params, query, body] = parts.map((part) => (part.ok ? part.value : undefined))
      reply.code(status)
      const result = await route.handler({ params, query, body, request, reply, principal })
      if (reply.sent) return reply
      const spec = route.response[reply.statusCode] ?? route.response[status]
      if (spec && !(spec instanceof z.ZodType)) {
        if (spec.kind === "empty") return reply.send()
        if (!reply.hasHeader("content-type")) reply.type(spec.contentType)
      }
      return reply.send(result)
    },
  })
}

function parse(location: InputLocation, schema: z.ZodType | undefined, value: unknown): ParsedInput<unknown> {
  if (schema) return parseInput(location, schema, value ?? {})
  // A route without a schema for this part takes nothing there; anything sent is a mistake worth naming.
  if (value === undefined || value === null || value === "") return { ok: true, value: undefined }
  if (typeof value === "object" && Object.keys(value).length === 0) return { ok: true, value: undefined }
  return {
    ok: false,
    issues: unexpectedInput(location, typeof value === "object" ? Object.keys(value) : [""]),
  }
}
