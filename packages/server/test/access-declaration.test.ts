import assert from "node:assert/strict"
import { test } from "node:test"
import Fastify from "fastify"
import { z } from "zod"
import type { RouteGuard } from "../src/auth/route-guard.ts"
import { defineRoute, type Route } from "../src/define-route.ts"
import { mountRoute } from "../src/mount-route.ts"
import { createOpenApiBuilder } from "../src/openapi.ts"
import { expectedAnswer } from "./routes/access-matrix.ts"

const guard: RouteGuard = { check: async () => null }

test("a route without a valid access declaration is refused at registration", () => {
  const app = Fastify()
  const openapi = createOpenApiBuilder({ title: "t", version: "1", description: "d" }, [])
  const base = {
    method: "GET" as const,
    url: "/things",
    summary: "Things",
    tags: ["t"],
    response: { 200: z.object({}) },
    handler: () => ({}),
  }
  for (const access of [undefined, "", "everyone"]) {
    const route = { ...base, access } as unknown as Route
    assert.throws(() => mountRoute(app, openapi, route, guard), /declares no valid access level/)
  }
  assert.deepEqual(openapi.document().paths, {}, "nothing was documented either")
  mountRoute(app, openapi, defineRoute({ ...base, access: "self:read" }), guard)
  assert.equal(openapi.document().paths["/things"]?.get?.["x-access"], "self:read")
})

test("the matrix's expectations follow the role ladder", () => {
  assert.equal(expectedAnswer("anonymous", "project:read", "/api/projects/{projectId}"), "AUTH_REQUIRED")
  assert.equal(expectedAnswer("viewer", "project:write", "/api/projects/{projectId}"), "FORBIDDEN")
  assert.equal(expectedAnswer("editor", "project:manage", "/api/projects/{projectId}"), "FORBIDDEN")
  assert.equal(expectedAnswer("owner", "project:manage", "/api/projects/{projectId}"), "allowed")
  assert.equal(
    expectedAnswer("stranger", "project:read", "/api/streams/{stream}/events"),
    "PROJECT_NOT_FOUND",
  )
  assert.equal(expectedAnswer("stranger", "team:read", "/api/teams/{teamId}/members"), "TEAM_NOT_FOUND")
  assert.equal(expectedAnswer("owner", "admin", "/api/users"), "FORBIDDEN")
  assert.equal(expectedAnswer("anonymous", "public", "/healthz"), "allowed")
})
