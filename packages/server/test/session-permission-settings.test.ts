// The permission settings of a project (default mode, set by owners, followed by a turn) and of a user,
// through the routes (inject) over the real engine and the scripted model.
import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { describe, test } from "node:test"
import { createScriptedModel } from "@xionimus/testing"
import { auditEntries } from "./support/audit-entries.ts"
import { createProject } from "./support/expect-error.ts"
import {
  createSession,
  createSessionTestApp,
  sendMessage,
  sessionEvents,
  typesOf,
} from "./support/session-app.ts"
import { sharedTestApp } from "./support/shared-test-app.ts"

const model = createScriptedModel()
const harness = sharedTestApp(
  () => createSessionTestApp(model),
  () => model.verify(),
)

describe("permission settings", () => {
  test("project settings: default mode, owners set them, a turn follows them", async () => {
    const project = await createProject(harness.app, "Settings")
    const url = `/api/projects/${project.id}/permissions`
    const initial = await harness.app.inject({ method: "GET", url })
    assert.deepEqual(initial.json(), { mode: "ask", rules: [] })

    const put = await harness.app.inject({
      method: "PUT",
      url,
      payload: { mode: "auto-edit", rules: [{ tool: "run", pattern: "rm *", action: "deny" }] },
    })
    assert.equal(put.statusCode, 200, put.body)
    assert.deepEqual((await harness.app.inject({ method: "GET", url })).json(), {
      mode: "auto-edit",
      rules: [{ tool: "run", pattern: "rm *", action: "deny" }],
    })

    // auto-edit: the edit runs without a question.
    const session = await createSession(harness.app, project.id)
    model.enqueue(
      { toolCalls: [{ name: "write_file", input: { path: "a.txt", content: "a" } }] },
      { text: "ok" },
    )
    await sendMessage(harness.app, session.id, "write a.txt")
    await harness.services.sessions.idle(session.id)
    const types = typesOf(await sessionEvents(harness.app, session.id))
    assert.ok(!types.includes("permission.asked"), types.join(", "))
    assert.equal(await readFile(join(harness.dataDir, "workspaces", project.id, "a.txt"), "utf8"), "a")
    assert.ok(
      (await auditEntries(harness, "project.permissions.changed")).some(
        (entry) => entry.target === project.id,
      ),
    )
  })

  test("your own settings", async () => {
    assert.deepEqual((await harness.app.inject({ method: "GET", url: "/api/me/permissions" })).json(), {
      rules: [],
    })
    const put = await harness.app.inject({
      method: "PUT",
      url: "/api/me/permissions",
      payload: { mode: "ask", rules: [{ tool: "read_file", action: "allow" }] },
    })
    assert.equal(put.statusCode, 200, put.body)
    assert.deepEqual((await harness.app.inject({ method: "GET", url: "/api/me/permissions" })).json(), {
      mode: "ask",
      rules: [{ tool: "read_file", pattern: "*", action: "allow" }],
    })
    assert.equal((await auditEntries(harness, "user.permissions.changed")).length, 1)
  })
})
