import { ErrorBody } from "@xionimus/protocol"
import { z } from "zod"
import { type MultipartSpec, type Route, successStatus } from "./define-route.ts"

type JsonSchema = Record<string, unknown>

export interface OpenApiOperation {
  operationId: string
  summary: string
  description?: string
  tags: string[]
  parameters?: JsonSchema[]
  requestBody?: JsonSchema
  responses: Record<string, JsonSchema>
  [extension: `x-${string}`]: unknown
}

export interface OpenApiDocument {
  openapi: "3.1.0"
  info: { title: string; version: string; description: string }
  tags: { name: string; description?: string }[]
  paths: Record<string, Record<string, OpenApiOperation>>
  components: { schemas: Record<string, JsonSchema> }
}

export interface OpenApiBuilder {
  /** Documents a route declared with defineRoute. */
  addRoute(route: Route): void
  /** Documents an operation that is not a defineRoute route (the WebSocket endpoint). */
  addOperation(method: string, url: string, operation: Omit<OpenApiOperation, "operationId">): void
  document(): OpenApiDocument
}

const errorResponse = {
  description: "Any failure: the one error shape (see docs/api.md for the status of each code).",
  content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorBody" } } },
}

/** Collects routes into an OpenAPI 3.1 document whose schemas are generated from the zod schemas. */
export function createOpenApiBuilder(info: OpenApiDocument["info"], tags: OpenApiDocument["tags"]) {
  const paths: OpenApiDocument["paths"] = {}

  function add(method: string, url: string, operation: Omit<OpenApiOperation, "operationId">): void {
    const path = url.replace(/:([A-Za-z0-9_]+)/g, "{$1}")
    const entry = paths[path] ?? {}
    entry[method.toLowerCase()] = { operationId: operationId(method, url), ...operation }
    paths[path] = entry
  }

  const builder: OpenApiBuilder = {
    addRoute(route) {
      const parameters = [...parametersOf("path", route.params), ...parametersOf("query", route.query)]
      const requestBody = route.body
        ? { required: true, content: { "application/json": { schema: schemaOf(route.body, "input") } } }
        : route.multipart
          ? multipartBody(route.multipart)
          : undefined
      add(route.method, route.url, {
        summary: route.summary,
        ...(route.description ? { description: route.description } : {}),
        tags: route.tags,
        "x-access": route.access,
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(requestBody ? { requestBody } : {}),
        responses: responsesOf(route),
      })
    },
    addOperation: add,
    document() {
      return {
        openapi: "3.1.0",
        info,
        tags,
        paths,
        components: { schemas: { ErrorBody: schemaOf(ErrorBody, "output") } },
      }
    },
  }
  return builder
}

function schemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as JsonSchema
  return rest
}

function parametersOf(location: "path" | "query", schema: z.ZodType | undefined): JsonSchema[] {
  if (!schema) return []
  const object = schemaOf(schema, "input")
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>
  const required = new Set((object.required ?? []) as string[])
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property
    return {
      name,
      in: location,
      required: location === "path" || required.has(name),
      ...(typeof description === "string" ? { description } : {}),
      schema: rest,
    }
  })
}

function multipartBody(spec: MultipartSpec): JsonSchema {
  const properties: Record<string, JsonSchema> = {}
  const required: string[] = []
  for (const [name, field] of Object.entries(spec.fields)) {
    const single = field.file
      ? { type: "string", contentMediaType: "application/octet-stream" }
      : { type: "string" }
    properties[name] = field.many
      ? { type: "array", items: single, description: field.description }
      : { ...single, description: field.description }
    if (field.required) required.push(name)
  }
  return {
    required: true,
    description: spec.description,
    content: { "multipart/form-data": { schema: { type: "object", properties, required } } },
  }
}

function responsesOf(route: Route): Record<string, JsonSchema> {
  const responses: Record<string, JsonSchema> = {}
  const success = successStatus(route)
  for (const [status, spec] of Object.entries(route.response)) {
    const description = Number(status) === success ? "Success" : `Status ${status}`
    if (spec instanceof z.ZodType) {
      responses[status] = {
        description,
        content: { "application/json": { schema: schemaOf(spec, "output") } },
      }
    } else if (spec.kind === "raw") {
      responses[status] = { description: spec.description, content: { [spec.contentType]: { schema: {} } } }
    } else {
      responses[status] = { description: spec.description }
    }
  }
  responses.default = errorResponse
  return responses
}

/** `GET /api/projects/:projectId/files` → `getApiProjectsProjectIdFiles`. */
function operationId(method: string, url: string): string {
  const words = url
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
  return method.toLowerCase() + words.join("")
}
