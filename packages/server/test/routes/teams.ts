import assert from "node:assert/strict"
import type { AddressInfo } from "node:net"
import { after, before, describe, test } from "node:test"
import { expectError } from "../support/expect-error.ts"
import { connectFrames } from "../support/frame-client.ts"
import { anonymous } from "../support/sign-in.ts"
import { createTeamFixture, type TeamFixture } from "../support/team-fixture.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"
import { accountListTests } from "./users-pages.ts"

export function teamTests(): void {
  // The user and member lists' paging, in a file of its own: routes.test.ts runs it with the team tests.
  accountListTests()
  describe("teams, roles and project access", () => {
    let harness: TestApp
    let fixture: TeamFixture
    before(async () => {
      harness = await createTestApp()
      fixture = await createTeamFixture(harness, "teams")
    })
    after(() => harness.close())
    const as = (who: { headers: Record<string, string> }) => who.headers

    test("another team's owner cannot reach team A's project, files, events or stream (IDOR), nor list it", async () => {
      const { projectId, stranger } = fixture
      const write = await harness.app.inject({
        method: "PUT",
        url: `/api/projects/${projectId}/files`,
        headers: as(fixture.editor),
        payload: { path: "secret.txt", content: "team A only" },
      })
      assert.equal(write.statusCode, 200, write.body)
      for (const url of [
        `/api/projects/${projectId}`,
        `/api/projects/${projectId}/files?path=secret.txt`,
        `/api/projects/${projectId}/files/raw?path=secret.txt`,
        `/api/streams/${projectId}/events`,
      ]) {
        expectError(
          await harness.app.inject({ method: "GET", url, headers: as(stranger) }),
          404,
          "PROJECT_NOT_FOUND",
        )
      }
      const overwrite = await harness.app.inject({
        method: "PUT",
        url: `/api/projects/${projectId}/files`,
        headers: as(stranger),
        payload: { path: "secret.txt", content: "changed" },
      })
      expectError(overwrite, 404, "PROJECT_NOT_FOUND")
      const content = await harness.app.inject({
        method: "GET",
        url: `/api/projects/${projectId}/files?path=secret.txt`,
        headers: as(fixture.viewer),
      })
      assert.equal(content.json().content, "team A only", "nothing changed")
      const listed = await harness.app.inject({ method: "GET", url: "/api/projects", headers: as(stranger) })
      assert.ok(!listed.json().items.some((project: { id: string }) => project.id === projectId))
      const mine = await harness.app.inject({
        method: "GET",
        url: "/api/projects",
        headers: as(fixture.viewer),
      })
      assert.ok(mine.json().items.some((project: { id: string }) => project.id === projectId))
      const denials = await harness.services.auth.listAudit({
        action: "access.denied",
        actorUserId: stranger.id,
        limit: 20,
      })
      assert.ok(denials.items.length >= 5)

      await harness.app.listen({ host: "127.0.0.1", port: 0 })
      const url = `ws://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}/api/stream`
      const client = await connectFrames(url, as(stranger))
      client.send({ type: "subscribe", stream: projectId })
      const refused = await client.next((frame) => frame.type === "error")
      assert.equal(refused.type === "error" && refused.error.code, "PROJECT_NOT_FOUND")
      await client.close()
      const reader = await connectFrames(url, as(fixture.viewer))
      reader.send({ type: "subscribe", stream: projectId })
      assert.equal((await reader.next()).type, "subscribed")
      await reader.close()
      await assert.rejects(connectFrames(url, anonymous))
      await assert.rejects(
        connectFrames(url, { cookie: "xionimus_session=forged", origin: "http://evil.example" }),
        "a forged cookie gets no socket",
      )
    })

    test("roles: viewers read, editors change, only owners manage; no escalation by a crafted request", async () => {
      const { projectId, teamId, editor, viewer } = fixture
      const rename = (who: { headers: Record<string, string> }) =>
        harness.app.inject({
          method: "PATCH",
          url: `/api/projects/${projectId}`,
          headers: as(who),
          payload: { name: "Renamed by role" },
        })
      expectError(await rename(viewer), 403, "FORBIDDEN")
      assert.equal((await rename(editor)).statusCode, 200)
      const promote = await harness.app.inject({
        method: "PUT",
        url: `/api/teams/${teamId}/members/${editor.id}`,
        headers: as(editor),
        payload: { role: "owner" },
      })
      expectError(promote, 403, "FORBIDDEN")
      expectError(
        await harness.app.inject({
          method: "DELETE",
          url: `/api/projects/${projectId}`,
          headers: as(editor),
        }),
        403,
        "FORBIDDEN",
      )
      const members = await harness.app.inject({
        method: "GET",
        url: `/api/teams/${teamId}/members`,
        headers: as(viewer),
      })
      const roles = Object.fromEntries(
        members.json().items.map((member: { email: string; role: string }) => [member.email, member.role]),
      )
      assert.equal(roles[editor.email], "editor", "the refused promotion changed nothing")
      const lastOwner = await harness.app.inject({
        method: "PUT",
        url: `/api/teams/${teamId}/members/${fixture.owner.id}`,
        headers: as(fixture.owner),
        payload: { role: "viewer" },
      })
      expectError(lastOwner, 409, "LAST_OWNER")
      const changes = await harness.services.auth.listAudit({
        action: "team.role.changed",
        target: teamId,
        limit: 10,
      })
      assert.equal(changes.items.length, 2, "the two members added by the fixture")
    })

    test("an explicit deny on a project wins over the team role, and can be lifted", async () => {
      const { projectId, editor, owner } = fixture
      const get = () =>
        harness.app.inject({ method: "GET", url: `/api/projects/${projectId}`, headers: as(editor) })
      const deny = await harness.app.inject({
        method: "PUT",
        url: `/api/projects/${projectId}/denies/${editor.id}`,
        headers: as(owner),
      })
      assert.equal(deny.statusCode, 204, deny.body)
      expectError(await get(), 404, "PROJECT_NOT_FOUND")
      const self = await harness.app.inject({
        method: "PUT",
        url: `/api/projects/${projectId}/denies/${owner.id}`,
        headers: as(owner),
      })
      expectError(self, 400, "VALIDATION_FAILED")
      const lift = await harness.app.inject({
        method: "DELETE",
        url: `/api/projects/${projectId}/denies/${editor.id}`,
        headers: as(owner),
      })
      assert.equal(lift.statusCode, 204)
      assert.equal((await get()).statusCode, 200)
    })

    test("invitations: for one address, once, joining with the role; removal ends access", async () => {
      const { teamId, owner, stranger, projectId } = fixture
      const invite = await harness.app.inject({
        method: "POST",
        url: `/api/teams/${teamId}/invitations`,
        headers: as(owner),
        payload: { email: stranger.email, role: "viewer", expiresInDays: 2 },
      })
      assert.equal(invite.statusCode, 201, invite.body)
      const { token, url } = invite.json() as { token: string; url: string }
      assert.ok(url.includes(token))
      const someoneElse = await harness.app.inject({
        method: "POST",
        url: "/api/invitations/accept",
        headers: as(fixture.editor),
        payload: { token },
      })
      expectError(someoneElse, 400, "INVITATION_INVALID")
      const second = await harness.app.inject({
        method: "POST",
        url: `/api/teams/${teamId}/invitations`,
        headers: as(owner),
        payload: { email: stranger.email, role: "viewer" },
      })
      const accept = (body: { token: string }) =>
        harness.app.inject({
          method: "POST",
          url: "/api/invitations/accept",
          headers: as(stranger),
          payload: body,
        })
      const accepted = await accept({ token: second.json().token })
      assert.equal(accepted.statusCode, 200, accepted.body)
      assert.equal(accepted.json().id, teamId)
      expectError(await accept({ token: second.json().token }), 400, "INVITATION_INVALID")
      const read = () =>
        harness.app.inject({ method: "GET", url: `/api/projects/${projectId}`, headers: as(stranger) })
      assert.equal((await read()).statusCode, 200)
      const removed = await harness.app.inject({
        method: "DELETE",
        url: `/api/teams/${teamId}/members/${stranger.id}`,
        headers: as(owner),
      })
      assert.equal(removed.statusCode, 204)
      expectError(await read(), 404, "PROJECT_NOT_FOUND")
    })

    test("deleting and restoring a project is on record with its actor", async () => {
      const { projectId, owner } = fixture
      for (const url of [`/api/projects/${projectId}`, `/api/projects/${projectId}/restore`]) {
        const response = await harness.app.inject({
          method: url.endsWith("restore") ? "POST" : "DELETE",
          url,
          headers: as(owner),
        })
        assert.equal(response.statusCode, 200, response.body)
      }
      const entries = await harness.services.auth.listAudit({ target: projectId, limit: 10 })
      const actions = entries.items
        .filter((entry) => entry.actorUserId === owner.id)
        .map((entry) => entry.action)
      assert.deepEqual(actions.slice(0, 2), ["project.restored", "project.deleted"])
    })

    test("projects made before any account belong to the owner's team once the owner exists", async () => {
      const fresh = await createTestApp({ signedIn: false })
      try {
        const project = await fresh.services.store.projects.create({
          id: "prj_0190b6f3a2c100BBBBBBBBBBBB",
          name: "From before",
          source: { kind: "empty" },
        })
        const { user } = await fresh.services.auth.setupOwner(
          { email: "first@example.test", password: "a long enough passphrase" },
          { ip: null, userAgent: null },
        )
        const [team] = await fresh.services.teams.listTeams(user.id)
        assert.equal(await fresh.services.store.teams.teamOfProject(project.id), team?.id)
      } finally {
        await fresh.close()
      }
    })
  })
}
