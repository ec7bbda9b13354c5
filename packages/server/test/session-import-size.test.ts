// A session export larger than the ordinary body limit can be imported; other bodies keep the limit.
import assert from "node:assert/strict"
import { describe, test } from "node:test"
import { createScriptedModel } from "@xionimus/testing"
import { createProject, expectError } from "./support/expect-error.ts"
import { createSession, createSessionTestApp, sendMessage } from "./support/session-app.ts"

describe("import size", () => {
  test("an export larger than the ordinary body limit can be imported; other bodies keep the limit", async () => {
    const scripted = createScriptedModel()
    const small = await createSessionTestApp(scripted, { config: { server: { bodyLimitBytes: 4096 } } })
    try {
      const project = await createProject(small.app, "Big export")
      const session = await createSession(small.app, project.id)
      scripted.enqueue({ text: "y".repeat(3000) })
      await sendMessage(small.app, session.id, "x".repeat(3000))
      await small.services.sessions.idle(session.id)
      const exported = await small.app.inject({ method: "GET", url: `/api/sessions/${session.id}/export` })
      assert.ok(exported.body.length > 4096, `the export is ${exported.body.length} bytes`)
      const imported = await small.app.inject({
        method: "POST",
        url: `/api/projects/${project.id}/sessions/import`,
        headers: { "content-type": "application/json" },
        payload: exported.body,
      })
      assert.equal(imported.statusCode, 201, imported.body)
      expectError(
        await small.app.inject({
          method: "POST",
          url: `/api/sessions/${session.id}/messages`,
          payload: { text: "z".repeat(5000) },
        }),
        413,
        "PAYLOAD_TOO_LARGE",
      )
    } finally {
      await small.close()
    }
  })
})
