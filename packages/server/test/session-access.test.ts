// Who may do what with a session, by project role (team fixture: owner, editor, viewer, another team's
// owner, nobody signed in): reads, turns, the project's settings, and "allow always" for project or user.
import assert from "node:assert/strict"
import { before, describe, test } from "node:test"
import type { Session, StoredEvent } from "@xionimus/protocol"
import { createScriptedModel } from "@xionimus/testing"
import { auditEntries } from "./support/audit-entries.ts"
import { expectError } from "./support/expect-error.ts"
import { createSession, createSessionTestApp, sendMessage, waitForEvent } from "./support/session-app.ts"
import { sharedTestApp } from "./support/shared-test-app.ts"
import { anonymous } from "./support/sign-in.ts"
import { createTeamFixture, type TeamFixture } from "./support/team-fixture.ts"

const model = createScriptedModel()
const harness = sharedTestApp(
  () => createSessionTestApp(model),
  () => model.verify(),
)

describe("who may do what with a session", () => {
  let fixture: TeamFixture
  let session: Session
  before(async () => {
    fixture = await createTeamFixture(harness, "sessions")
    session = await createSession(harness.app, fixture.projectId, {}, fixture.editor.headers)
  })

  test("viewers read, editors work, outsiders see nothing", async () => {
    const as = (headers: Record<string, string>, method: "GET" | "POST", url: string, payload?: object) =>
      harness.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
    assert.equal((await as(fixture.viewer.headers, "GET", `/api/sessions/${session.id}`)).statusCode, 200)
    assert.equal(
      (await as(fixture.viewer.headers, "GET", `/api/projects/${fixture.projectId}/sessions`)).statusCode,
      200,
    )
    expectError(
      await as(fixture.viewer.headers, "POST", `/api/sessions/${session.id}/messages`, { text: "hi" }),
      403,
      "FORBIDDEN",
    )
    expectError(
      await as(fixture.viewer.headers, "POST", `/api/projects/${fixture.projectId}/sessions`, {}),
      403,
      "FORBIDDEN",
    )
    // Another team's owner learns nothing, through any route that names the session.
    expectError(
      await as(fixture.stranger.headers, "GET", `/api/sessions/${session.id}`),
      404,
      "SESSION_NOT_FOUND",
    )
    expectError(
      await as(fixture.stranger.headers, "GET", `/api/streams/${session.id}/events`),
      404,
      "SESSION_NOT_FOUND",
    )
    expectError(
      await as(fixture.stranger.headers, "GET", `/api/projects/${fixture.projectId}/sessions`),
      404,
      "PROJECT_NOT_FOUND",
    )
    expectError(await as(anonymous, "GET", `/api/sessions/${session.id}`), 401, "AUTH_REQUIRED")
    // Only project owners change the project's settings.
    expectError(
      await harness.app.inject({
        method: "PUT",
        url: `/api/projects/${fixture.projectId}/permissions`,
        headers: fixture.editor.headers,
        payload: { mode: "full-auto", rules: [] },
      }),
      403,
      "FORBIDDEN",
    )
    const denials = await auditEntries(harness, "access.denied")
    assert.ok(denials.some((entry) => entry.actorUserId === fixture.stranger.id))
  })

  test("allowing a tool for the whole project is for project owners; editors allow for the session", async () => {
    model.enqueue(
      { toolCalls: [{ name: "write_file", input: { path: "x.txt", content: "x" } }] },
      { text: "written" },
    )
    await sendMessage(harness.app, session.id, "write x.txt", fixture.editor.headers)
    const asked = await waitForEvent(harness.app, session.id, "permission.asked")
    const requestId = (asked.data as { id: string }).id
    const decide = (headers: Record<string, string>) =>
      harness.app.inject({
        method: "POST",
        url: `/api/sessions/${session.id}/permissions`,
        headers,
        payload: { requestId, decision: { kind: "allow-always", scope: "project" } },
      })
    expectError(await decide(fixture.editor.headers), 403, "FORBIDDEN")
    expectError(await decide(fixture.viewer.headers), 403, "FORBIDDEN")
    const allowed = await decide(fixture.owner.headers)
    assert.equal(allowed.statusCode, 204, allowed.body)
    await harness.services.sessions.idle(session.id)
    const settings = await harness.app.inject({
      method: "GET",
      url: `/api/projects/${fixture.projectId}/permissions`,
      headers: fixture.viewer.headers,
    })
    assert.deepEqual((settings.json() as { rules: unknown[] }).rules, [
      { tool: "write_file", pattern: "x.txt", action: "allow" },
    ])
  })

  test("'allow always for me' is saved to the rules of the person who answered, not the turn's author", async () => {
    model.enqueue(
      { toolCalls: [{ name: "write_file", input: { path: "y.txt", content: "y" } }] },
      { text: "written" },
    )
    await sendMessage(harness.app, session.id, "write y.txt", fixture.editor.headers)
    const asked = await waitForEvent(harness.app, session.id, "permission.asked", (event) =>
      (event.data as { patterns: string[] }).patterns.includes("y.txt"),
    )
    const requestId = (asked.data as { id: string }).id
    const answered = await harness.app.inject({
      method: "POST",
      url: `/api/sessions/${session.id}/permissions`,
      headers: fixture.owner.headers,
      payload: { requestId, decision: { kind: "allow-always", scope: "user" } },
    })
    assert.equal(answered.statusCode, 204, answered.body)
    await harness.services.sessions.idle(session.id)
    const rulesOf = async (headers: Record<string, string>) =>
      (
        (await harness.app.inject({ method: "GET", url: "/api/me/permissions", headers })).json() as {
          rules: unknown[]
        }
      ).rules
    assert.deepEqual(await rulesOf(fixture.owner.headers), [
      { tool: "write_file", pattern: "y.txt", action: "allow" },
    ])
    assert.deepEqual(await rulesOf(fixture.editor.headers), [])
  })

  test("the generic stream read of a session follows the session's project role", async () => {
    const viewerRead = await harness.app.inject({
      method: "GET",
      url: `/api/streams/${session.id}/events`,
      headers: fixture.viewer.headers,
    })
    assert.equal(viewerRead.statusCode, 200, viewerRead.body)
    assert.equal((viewerRead.json() as { items: StoredEvent[] }).items[0]?.type, "session.created")
  })
})
