// The session routes in process (inject) over the real engine and SQLite: a session's lifecycle (create,
// read, list, search, tag, pin, archive, delete) and the answers to bad inputs.
import assert from "node:assert/strict"
import { describe, test } from "node:test"
import type { Session } from "@xionimus/protocol"
import { createScriptedModel } from "@xionimus/testing"
import { auditEntries } from "./support/audit-entries.ts"
import { createProject, expectError } from "./support/expect-error.ts"
import { createSession, createSessionTestApp } from "./support/session-app.ts"
import { sharedTestApp } from "./support/shared-test-app.ts"

const model = createScriptedModel()
const harness = sharedTestApp(
  () => createSessionTestApp(model),
  () => model.verify(),
)

describe("session lifecycle", () => {
  test("create, read, list, search, tag, pin, archive, delete", async () => {
    const project = await createProject(harness.app, "Lifecycle")
    const first = await createSession(harness.app, project.id, { title: "Parser bug", tags: ["bugs"] })
    assert.match(first.id, /^ses_/)
    assert.deepEqual(
      [first.title, first.tags, first.runState, first.projectId],
      ["Parser bug", ["bugs"], "idle", project.id],
    )
    const second = await createSession(harness.app, project.id, { title: "Docs" })

    const read = await harness.app.inject({ method: "GET", url: `/api/sessions/${first.id}` })
    assert.equal(read.statusCode, 200)
    assert.equal((read.json() as Session).title, "Parser bug")

    const patched = await harness.app.inject({
      method: "PATCH",
      url: `/api/sessions/${second.id}`,
      payload: { pinned: true, tags: ["docs"] },
    })
    assert.equal(patched.statusCode, 200, patched.body)
    assert.deepEqual([(patched.json() as Session).pinned, (patched.json() as Session).tags], [true, ["docs"]])

    const list = async (query = "") => {
      const response = await harness.app.inject({
        method: "GET",
        url: `/api/projects/${project.id}/sessions${query}`,
      })
      assert.equal(response.statusCode, 200, response.body)
      return (response.json() as { items: Session[] }).items.map((session) => session.title)
    }
    assert.deepEqual(await list(), ["Docs", "Parser bug"], "pinned first")
    assert.deepEqual(await list("?q=parser"), ["Parser bug"])
    assert.deepEqual(await list("?tag=docs"), ["Docs"])

    await harness.app.inject({
      method: "PATCH",
      url: `/api/sessions/${second.id}`,
      payload: { archived: true },
    })
    assert.deepEqual(await list(), ["Parser bug"])
    assert.deepEqual(await list("?archived=true"), ["Docs"])

    const deleted = await harness.app.inject({ method: "DELETE", url: `/api/sessions/${first.id}` })
    assert.equal(deleted.statusCode, 204, deleted.body)
    expectError(
      await harness.app.inject({ method: "GET", url: `/api/sessions/${first.id}` }),
      404,
      "SESSION_NOT_FOUND",
    )
    assert.ok((await auditEntries(harness, "session.deleted")).some((entry) => entry.target === first.id))
  })

  test("bad inputs: unknown session, malformed id, idle cancel, nothing to resume", async () => {
    const project = await createProject(harness.app, "Inputs")
    const session = await createSession(harness.app, project.id)
    expectError(
      await harness.app.inject({ method: "GET", url: "/api/sessions/ses_0190b6f3a2c100AAAAAAAAAAAA" }),
      404,
      "SESSION_NOT_FOUND",
    )
    expectError(
      await harness.app.inject({ method: "GET", url: "/api/sessions/not-a-session" }),
      400,
      "VALIDATION_FAILED",
    )
    expectError(
      await harness.app.inject({ method: "POST", url: `/api/sessions/${session.id}/cancel` }),
      409,
      "TURN_NOT_RUNNING",
    )
    expectError(
      await harness.app.inject({ method: "POST", url: `/api/sessions/${session.id}/resume` }),
      409,
      "NOTHING_TO_RESUME",
    )
    expectError(
      await harness.app.inject({
        method: "POST",
        url: `/api/sessions/${session.id}/messages`,
        payload: { text: "" },
      }),
      400,
      "VALIDATION_FAILED",
    )
  })
})
