import assert from "node:assert/strict"
import { describe, test } from "node:test"
import Fastify from "fastify"
import { z } from "zod"
import type { RouteGuard } from "../src/auth/route-guard.ts"
import { withoutCredentials } from "../src/create-project.ts"
import { defineRoute, emptyResponse, rawResponse } from "../src/define-route.ts"
import { sendError } from "../src/error-reply.ts"
import { mountRoute } from "../src/mount-route.ts"
import { createOpenApiBuilder } from "../src/openapi.ts"

// These tests are about inputs and answers; every route here is public.
const openGuard: RouteGuard = { check: async () => null }

function appWith(...routes: ReturnType<typeof defineRoute>[]) {
  const app = Fastify()
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error))
  const openapi = createOpenApiBuilder({ title: "t", version: "1", description: "d" }, [])
  for (const route of routes) mountRoute(app, openapi, route, openGuard)
  return { app, openapi }
}

describe("defineRoute", () => {
  const Body = z.strictObject({
    name: z.string(),
    options: z.strictObject({ depth: z.number().int() }).optional(),
  })
  const Query = z.strictObject({ limit: z.coerce.number().int().default(10) })
  const Params = z.strictObject({ id: z.string().regex(/^x_\d+$/) })
  const echo = defineRoute({
    method: "POST",
    url: "/things/:id",
    summary: "Echo",
    tags: ["t"],
    access: "public",
    params: Params,
    query: Query,
    body: Body,
    response: { 201: z.object({ id: z.string(), limit: z.number(), name: z.string() }) },
    handler: ({ params, query, body }) => ({ id: params.id, limit: query.limit, name: body.name }),
  })

  test("validated, coerced inputs reach the handler; the lowest 2xx is the default status", async () => {
    const { app } = appWith(echo)
    const response = await app.inject({ method: "POST", url: "/things/x_1?limit=3", payload: { name: "n" } })
    assert.equal(response.statusCode, 201)
    assert.deepEqual(response.json(), { id: "x_1", limit: 3, name: "n" })
    const defaults = await app.inject({ method: "POST", url: "/things/x_1", payload: { name: "n" } })
    assert.equal(defaults.json().limit, 10)
  })

  test("every bad field is named with where it is, nested unknown fields included", async () => {
    const { app } = appWith(echo)
    const response = await app.inject({
      method: "POST",
      url: "/things/bad?limit=x&extra=1",
      payload: { name: 1, options: { depth: 2, color: "red" } },
    })
    assert.equal(response.statusCode, 400)
    const issues = response.json().error.details.issues as { in: string; path: string }[]
    assert.deepEqual(
      issues.map((issue) => `${issue.in}:${issue.path}`),
      ["params:id", "query:limit", "query:extra", "body:name", "body:options.color"],
    )
    assert.match(response.json().error.message, /^The request is not valid: id: .*\(and 2 more\)/)
    const body = await app.inject({
      method: "POST",
      url: "/things/x_1",
      payload: { name: 1, options: { depth: 2, color: "red" } },
    })
    assert.deepEqual(
      (body.json().error.details.issues as { in: string; path: string }[]).map(
        (issue) => `${issue.in}:${issue.path}`,
      ),
      ["body:name", "body:options.color"],
    )
    assert.match(body.json().error.message, /name: .*options\.color: unknown field/)
  })

  test("a handler may pick another declared status; raw and empty responses keep their form", async () => {
    const { app, openapi } = appWith(
      defineRoute({
        method: "GET",
        url: "/maybe",
        summary: "Maybe",
        tags: ["t"],
        access: "public",
        response: { 200: z.object({ ok: z.boolean() }), 503: z.object({ ok: z.boolean() }) },
        handler: ({ reply }) => {
          reply.code(503)
          return { ok: false }
        },
      }),
      defineRoute({
        method: "GET",
        url: "/text",
        summary: "Text",
        tags: ["t"],
        access: "public",
        response: { 200: rawResponse("text/plain", "words") },
        handler: () => "hello",
      }),
      defineRoute({
        method: "DELETE",
        url: "/thing",
        summary: "Gone",
        tags: ["t"],
        access: "public",
        response: { 204: emptyResponse("Deleted") },
        handler: () => undefined,
      }),
    )
    const maybe = await app.inject({ method: "GET", url: "/maybe" })
    assert.deepEqual([maybe.statusCode, maybe.json()], [503, { ok: false }])
    const text = await app.inject({ method: "GET", url: "/text" })
    assert.deepEqual([text.statusCode, text.headers["content-type"], text.body], [200, "text/plain", "hello"])
    const gone = await app.inject({ method: "DELETE", url: "/thing" })
    assert.deepEqual([gone.statusCode, gone.body], [204, ""])
    const paths = openapi.document().paths
    assert.deepEqual(Object.keys(paths["/maybe"]!.get!.responses).sort(), ["200", "503", "default"])
    assert.ok(paths["/text"]!.get!.responses["200"]!.content)
  })

  test("a route without a query or body schema takes none", async () => {
    const { app } = appWith(
      defineRoute({
        method: "POST",
        url: "/bare",
        summary: "Bare",
        tags: ["t"],
        access: "public",
        response: { 200: z.object({}) },
        handler: () => ({}),
      }),
    )
    assert.equal((await app.inject({ method: "POST", url: "/bare" })).statusCode, 200)
    assert.equal((await app.inject({ method: "POST", url: "/bare", payload: {} })).statusCode, 200)
    const query = await app.inject({ method: "POST", url: "/bare?x=1" })
    assert.deepEqual(query.json().error.details.issues[0].path, "x")
    const body = await app.inject({ method: "POST", url: "/bare", payload: { y: 1 } })
    assert.deepEqual(body.json().error.details.issues[0].path, "y")
  })
})

describe("withoutCredentials", () => {
  test("drops a user and password from URLs, leaves the rest", () => {
    assert.equal(withoutCredentials("https://user:secret@example.com/r.git"), "https://example.com/r.git")
    assert.equal(withoutCredentials("https://token@example.com/r.git"), "https://example.com/r.git")
    assert.equal(withoutCredentials("https://example.com/r.git"), "https://example.com/r.git")
    assert.equal(withoutCredentials("git@github.com:owner/r.git"), "git@github.com:owner/r.git")
  })
})
