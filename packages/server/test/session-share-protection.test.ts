// Shared (read-only) session links: their tokens stay out of the request log, and reads are rate-limited
// per address. Each test opens its own app (a log sink; a low limit).
import assert from "node:assert/strict"
import { PassThrough } from "node:stream"
import { describe, test } from "node:test"
import type { Share } from "@xionimus/protocol"
import { createScriptedModel } from "@xionimus/testing"
import { createProject, expectError } from "./support/expect-error.ts"
import { createSession, createSessionTestApp } from "./support/session-app.ts"
import { anonymous } from "./support/sign-in.ts"

describe("share tokens stay out of the log", () => {
  test("the request line of a shared read shows the path without its token", async () => {
    const sink = new PassThrough()
    let lines = ""
    sink.on("data", (chunk) => {
      lines += chunk
    })
    const logged = await createSessionTestApp(createScriptedModel(), { logDestination: sink })
    try {
      const project = await createProject(logged.app, "Logged")
      const session = await createSession(logged.app, project.id)
      const created = await logged.app.inject({
        method: "POST",
        url: `/api/sessions/${session.id}/shares`,
        payload: {},
      })
      const { token } = created.json() as Share
      const read = await logged.app.inject({ method: "GET", url: `/api/shared/${token}`, headers: anonymous })
      assert.equal(read.statusCode, 200, read.body)
    } finally {
      await logged.close()
    }
    assert.match(lines, /"url":"\/api\/shared\/\[redacted\]"/)
    assert.doesNotMatch(lines, /xs_/)
  })
})

describe("shared links are rate-limited per address", () => {
  test("past the limit: RATE_LIMITED", async () => {
    const limited = await createSessionTestApp(createScriptedModel(), {
      app: { rateLimits: { sharedPerMinute: 2 } },
    })
    try {
      const statuses: number[] = []
      for (let index = 0; index < 3; index++) {
        const response = await limited.app.inject({
          method: "GET",
          url: "/api/shared/not-a-token",
          headers: anonymous,
        })
        statuses.push(response.statusCode)
        if (index === 2) expectError(response, 429, "RATE_LIMITED")
      }
      assert.deepEqual(statuses, [404, 404, 429])
    } finally {
      await limited.close()
    }
  })
})
