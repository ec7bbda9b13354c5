import type { FastifyInstance } from "fastify"
import { z } from "zod"
import { type Route, successStatus } from "./define-route.ts"
import type { OpenApiBuilder } from "./openapi.ts"
import { type InputLocation, unexpectedInput, validateInput } from "./validate-input.ts"

/** Registers a defineRoute route on the app and documents it in the OpenAPI document. */
export function mountRoute(app: FastifyInstance, openapi: OpenApiBuilder, route: Route): void {
  openapi.addRoute(route)
  const status = successStatus(route)
  app.route({
    method: route.method,
    url: route.url,
    handler: async (request, reply) => {
      const params = parse("params", route.params, request.params)
      const query = parse("query", route.query, request.query)
      const body = route.multipart ? undefined : parse("body", route.body, request.body)
      reply.code(status)
      const result = await route.handler({ params, query, body, request, reply })
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

function parse(location: InputLocation, schema: z.ZodType | undefined, value: unknown): unknown {
  if (schema) return validateInput(location, schema, value ?? {})
  // A route without a schema for this part takes nothing there; anything sent is a mistake worth naming.
  if (value === undefined || value === null || value === "") return undefined
  if (typeof value === "object" && Object.keys(value).length === 0) return undefined
  throw unexpectedInput(location, typeof value === "object" ? Object.keys(value) : [""])
}
