import assert from "node:assert/strict"
import { Writable } from "node:stream"
import { after, before, describe, test } from "node:test"
import { errorCodes } from "@xionimus/protocol"
import type { ProjectFiles } from "@xionimus/workspace"
import { createProject, expectError } from "../support/expect-error.ts"
import { multipartPayload } from "../support/multipart.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

/** Collects JSON log lines. */
function logCollector(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line))
      done()
    },
  })
  return { stream, lines }
}

export function errorTests(): void {
  describe("one error shape for every failure", () => {
    let harness: TestApp
    before(async () => {
      harness = await createTestApp({ config: { server: { bodyLimitBytes: 1024 } } })
    })
    after(() => harness.close())

    const post = (payload: string, contentType: string) =>
      harness.app.inject({
        method: "POST",
        url: "/api/projects",
        payload,
        headers: { "content-type": contentType },
      })

    test("malformed JSON, an empty JSON body and prototype poisoning are INVALID_JSON", async () => {
      expectError(await post('{"name": "x"', "application/json"), 400, "INVALID_JSON")
      expectError(await post("", "application/json"), 400, "INVALID_JSON")
      expectError(
        await post('{"name":"x","__proto__":{"admin":true}}', "application/json"),
        400,
        "INVALID_JSON",
      )
    })

    test("bodies other than JSON are UNSUPPORTED_MEDIA_TYPE", async () => {
      expectError(await post("name=x", "text/plain"), 415, "UNSUPPORTED_MEDIA_TYPE")
      expectError(await post("<name>x</name>", "application/xml"), 415, "UNSUPPORTED_MEDIA_TYPE")
      const form = await multipartPayload([{ name: "name", value: "x" }])
      const multipart = await harness.app.inject({ method: "POST", url: "/api/projects", ...form })
      expectError(multipart, 415, "UNSUPPORTED_MEDIA_TYPE")
    })

    test("a body over server.bodyLimitBytes is PAYLOAD_TOO_LARGE", async () => {
      const body = JSON.stringify({ name: "x".repeat(2000) })
      expectError(await post(body, "application/json"), 413, "PAYLOAD_TOO_LARGE")
    })

    test("the status table names only known codes; anything else is 500", async () => {
      const { errorStatus, statusOf } = await import("../../src/error-status.ts")
      for (const [code, status] of Object.entries(errorStatus)) {
        assert.ok(code in errorCodes, `${code} is not in errorCodes`)
        assert.ok(status >= 400 && status <= 599, `${code} → ${status}`)
      }
      assert.equal(statusOf("INTERNAL"), 500)
      assert.equal(statusOf("SOMETHING_NEW"), 500)
    })

    test("an upstream x-request-id is kept; a malformed one is replaced", async () => {
      const kept = await harness.app.inject({
        method: "GET",
        url: "/healthz",
        headers: { "x-request-id": "lb-42.abc" },
      })
      assert.equal(kept.headers["x-request-id"], "lb-42.abc")
      const replaced = await harness.app.inject({
        method: "GET",
        url: "/healthz",
        headers: { "x-request-id": "bad id\twith spaces" },
      })
      assert.match(String(replaced.headers["x-request-id"]), /^req-/)
    })
  })

  describe("internal errors", () => {
    const logs = logCollector()
    let harness: TestApp
    before(async () => {
      harness = await createTestApp({
        logDestination: logs.stream,
        wrapServices: (services) => ({
          ...services,
          store: {
            ...services.store,
            projects: {
              ...services.store.projects,
              list: () =>
                Promise.reject(new Error("relation xionimus_secret at /srv/internal/db does not exist")),
            },
          },
          workspaces: Object.assign(Object.create(services.workspaces), {
            files: (projectId: string): ProjectFiles => ({
              ...services.workspaces.files(projectId),
              zip: () => {
                throw new Error("zip failed at /srv/internal/workspaces")
              },
            }),
          }),
        }),
      })
    })
    after(() => harness.close())

    test("a 500 says INTERNAL and the request id, never the internals; the log has the cause", async () => {
      const response = await harness.app.inject({ method: "GET", url: "/api/projects" })
      const body = expectError(response, 500, "INTERNAL")
      assert.equal(body.error.message, errorCodes.INTERNAL)
      assert.equal(body.error.details, undefined)
      assert.doesNotMatch(response.body, /secret|\/srv/)
      const failure = logs.lines.find(
        (line) => line.msg === "request failed" && line.reqId === body.error.requestId,
      )
      assert.ok(failure, "the failure is logged with the request id")
      assert.match(JSON.stringify(failure.err), /xionimus_secret/)
    })

    test("a streamed route failing before its first byte answers JSON, not a broken zip", async () => {
      const project = await createProject(harness.app, "Zip fails")
      const response = await harness.app.inject({ method: "GET", url: `/api/projects/${project.id}/archive` })
      expectError(response, 500, "INTERNAL")
      assert.equal(response.headers["content-disposition"], undefined)
      assert.doesNotMatch(response.body, /\/srv/)
    })

    test("every log line of a request carries its request id", async () => {
      const response = await harness.app.inject({ method: "GET", url: "/healthz" })
      const id = response.headers["x-request-id"]
      const lines = logs.lines.filter((line) => line.reqId === id)
      assert.ok(lines.some((line) => line.msg === "incoming request"))
      assert.ok(lines.some((line) => line.msg === "request completed"))
    })
  })
}
