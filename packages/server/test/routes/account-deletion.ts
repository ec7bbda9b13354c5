import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { newId } from "@xionimus/kit"
import { expectError } from "../support/expect-error.ts"
import { signIn } from "../support/sign-in.ts"
import { createTeamFixture, type TeamFixture } from "../support/team-fixture.ts"
import { createTestApp, ownerPassword, type TestApp } from "../support/test-app.ts"

const memberPassword = "a long enough passphrase"

export function accountDeletionTests(): void {
  describe("account deletion", () => {
    let harness: TestApp
    let fixture: TeamFixture
    before(async () => {
      harness = await createTestApp()
      fixture = await createTeamFixture(harness, "deletion")
    })
    after(() => harness.close())

    const agentSession = async (projectId: string, createdBy: string) =>
      (
        await harness.services.store.sessions.create({
          id: newId("ses"),
          projectId,
          title: `by ${createdBy}`,
          model: null,
          createdBy,
        })
      ).id

    test("needs the password (or a fresh sign-in); a deleted member's sessions go to a team owner by policy", async () => {
      const editor = fixture.editor
      const sessionId = await agentSession(fixture.projectId, editor.id)
      const policy = await harness.app.inject({
        method: "PUT",
        url: `/api/teams/${fixture.teamId}/policy`,
        headers: fixture.owner.headers,
        payload: { deletedMemberSessions: "transfer" },
      })
      assert.deepEqual(policy.json(), { requireTwoFactor: false, deletedMemberSessions: "transfer" })
      const exported = await harness.app.inject({
        method: "GET",
        url: "/api/account/export",
        headers: editor.headers,
      })
      assert.deepEqual(JSON.parse(exported.body).agentSessions, [
        { id: sessionId, projectId: fixture.projectId, title: `by ${editor.id}` },
      ])

      const remove = (payload: Record<string, unknown>, headers = editor.headers) =>
        harness.app.inject({ method: "DELETE", url: "/api/account", headers, payload })
      expectError(await remove({}), 401, "REAUTH_REQUIRED")
      expectError(await remove({ password: "not the password" }), 401, "AUTH_INVALID")
      assert.ok(await harness.services.auth.getUser(editor.id))
      const deleted = await remove({ password: memberPassword })
      assert.equal(deleted.statusCode, 200, deleted.body)
      assert.deepEqual(deleted.json(), { sessionsDeleted: 0, sessionsTransferred: 1, projectsDeleted: 0 })

      expectError(
        await harness.app.inject({ method: "GET", url: "/api/auth/me", headers: editor.headers }),
        401,
        "AUTH_INVALID",
      )
      const session = await harness.services.store.sessions.get(sessionId)
      assert.equal(session?.createdBy, fixture.owner.id)
      assert.equal(await harness.services.store.teams.roleIn(fixture.teamId, editor.id), undefined)
      // The audit entries stay; their actor is shown as deleted.
      const audit = await harness.app.inject({ method: "GET", url: `/api/audit?actor=${editor.id}` })
      const items = audit.json().items as { action: string; outcome: string; actorDeleted?: boolean }[]
      assert.ok(items.some((entry) => entry.action === "account.deleted" && entry.outcome === "success"))
      assert.ok(items.some((entry) => entry.action === "account.deleted" && entry.outcome === "failure"))
      assert.ok(items.every((entry) => entry.actorDeleted === true))
      const auditExport = await harness.app.inject({
        method: "GET",
        url: `/api/audit/export?actor=${editor.id}`,
      })
      const lines = auditExport.body
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { actorDeleted?: boolean })
      assert.equal(lines.length, items.length)
      assert.ok(lines.every((entry) => entry.actorDeleted === true))
    })

    test("a fresh browser sign-in is enough; a sole member's sessions and projects are deleted", async () => {
      const stranger = fixture.stranger
      const project = await harness.app.inject({
        method: "POST",
        url: "/api/projects",
        headers: stranger.headers,
        payload: { name: "Leaving soon" },
      })
      const projectId = (project.json() as { id: string }).id
      const sessionId = await agentSession(projectId, stranger.id)
      const browser = await signIn(harness.app, stranger.email, memberPassword)
      const deleted = await harness.app.inject({
        method: "DELETE",
        url: "/api/account",
        ...browser,
        payload: {},
      })
      assert.equal(deleted.statusCode, 200, deleted.body)
      assert.deepEqual(deleted.json(), { sessionsDeleted: 1, sessionsTransferred: 0, projectsDeleted: 1 })
      assert.ok(deleted.cookies.some((cookie) => cookie.name === "xionimus_session" && cookie.value === ""))
      assert.equal(await harness.services.store.sessions.get(sessionId), undefined)
      assert.ok((await harness.services.store.projects.get(projectId))?.deletedAt)
    })

    test("the last owner of a shared team and the last administrator cannot go; administrators delete others", async () => {
      const byAdmin = (userId: string) =>
        harness.app.inject({ method: "DELETE", url: `/api/users/${userId}` })
      const lastOwner = expectError(await byAdmin(fixture.owner.id), 409, "LAST_OWNER")
      assert.equal((lastOwner.error.details as { teamId: string }).teamId, fixture.teamId)
      expectError(
        await harness.app.inject({
          method: "DELETE",
          url: `/api/users/${fixture.viewer.id}`,
          headers: fixture.owner.headers,
        }),
        403,
        "FORBIDDEN",
      )
      const me = await harness.app.inject({ method: "GET", url: "/api/auth/me" })
      const adminId = (me.json() as { user: { id: string } }).user.id
      expectError(
        await harness.app.inject({
          method: "DELETE",
          url: "/api/account",
          payload: { password: ownerPassword },
        }),
        409,
        "LAST_ADMIN",
      )
      expectError(await byAdmin(adminId), 409, "LAST_ADMIN")
      const viewer = await byAdmin(fixture.viewer.id)
      assert.equal(viewer.statusCode, 200, viewer.body)
      expectError(await byAdmin(fixture.viewer.id), 404, "USER_NOT_FOUND")
      const entry = (await harness.services.auth.listAudit({ target: fixture.viewer.id, limit: 5 })).items[0]
      assert.equal(entry?.action, "account.deleted")
      assert.equal(entry?.actorUserId, adminId)
      assert.equal(entry?.details.self, false)
    })
  })
}
