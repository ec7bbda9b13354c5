import assert from "node:assert/strict"
import type { Project } from "@xionimus/protocol"
import type { FastifyInstance, LightMyRequestResponse } from "fastify"
import { z } from "zod"

/** The one error shape, strictly: nothing else in it. */
const StrictErrorBody = z.strictObject({
  error: z.strictObject({
    code: z.string().regex(/^[A-Z][A-Z_]+$/),
    message: z.string().min(1),
    details: z.unknown().optional(),
    requestId: z.string().min(1),
  }),
})
export type StrictErrorBody = z.infer<typeof StrictErrorBody>

/** Asserts status, the error shape, the code and that the body's requestId is the x-request-id header. */
export function expectError(response: LightMyRequestResponse, status: number, code: string): StrictErrorBody {
  const body = StrictErrorBody.parse(JSON.parse(response.body))
  assert.equal(body.error.code, code, `expected ${code}, got ${response.body}`)
  assert.equal(response.statusCode, status, response.body)
  assert.match(String(response.headers["content-type"]), /^application\/json/)
  assert.equal(body.error.requestId, response.headers["x-request-id"])
  return body
}

/** The field paths a VALIDATION_FAILED answer names. */
export function failedFields(body: StrictErrorBody): string[] {
  const details = body.error.details as { issues: { path: string }[] }
  return details.issues.map((issue) => issue.path)
}

export async function createProject(
  app: FastifyInstance,
  name: string,
  extra: Record<string, unknown> = {},
): Promise<Project> {
  const response = await app.inject({ method: "POST", url: "/api/projects", payload: { name, ...extra } })
  assert.equal(response.statusCode, 201, response.body)
  return response.json() as Project
}
