import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { Secret, TOTP } from "otpauth"
import { expectError, failedFields } from "../support/expect-error.ts"
import { createTeamFixture, type TeamFixture } from "../support/team-fixture.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

export function accountSettingsTests(): void {
  describe("preferences, display name, two-factor state, pending invitations, audit time range", () => {
    let harness: TestApp
    let fixture: TeamFixture
    before(async () => {
      harness = await createTestApp({
        config: {
          // Never called: listing and choosing models needs no answer from the provider.
          providers: {
            local: {
              type: "openai-compatible",
              baseURL: "http://127.0.0.1:9/v1",
              models: ["coder", "writer"],
            },
          },
          models: { default: "local/writer" },
        },
      })
      fixture = await createTeamFixture(harness, "gaps")
    })
    after(() => harness.close())

    const inject = (
      who: { headers: Record<string, string> },
      method: "GET" | "PUT" | "PATCH" | "POST" | "DELETE",
      url: string,
      payload?: unknown,
    ) =>
      harness.app.inject({
        method,
        url,
        headers: who.headers,
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      })

    test("a default model is one of the user's models, is kept per user, and new sessions start with it", async () => {
      const { owner, editor, projectId } = fixture
      assert.deepEqual((await inject(owner, "GET", "/api/me/preferences")).json(), {
        defaultModel: null,
        language: null,
      })
      const unknown = await inject(owner, "PUT", "/api/me/preferences", { defaultModel: "local/nonexistent" })
      expectError(unknown, 400, "MODEL_NOT_FOUND")
      const bad = await inject(owner, "PUT", "/api/me/preferences", { language: "fr" })
      assert.deepEqual(failedFields(expectError(bad, 400, "VALIDATION_FAILED")), ["language"])
      const set = await inject(owner, "PUT", "/api/me/preferences", {
        defaultModel: "local/coder",
        language: "de",
      })
      assert.equal(set.statusCode, 200, set.body)
      assert.deepEqual(set.json(), { defaultModel: "local/coder", language: "de" })
      const languageOnly = await inject(owner, "PUT", "/api/me/preferences", { language: null })
      assert.deepEqual(languageOnly.json(), { defaultModel: "local/coder", language: null })
      assert.deepEqual((await inject(editor, "GET", "/api/me/preferences")).json(), {
        defaultModel: null,
        language: null,
      })
      const audit = await harness.services.auth.listAudit({
        action: "account.preferences.changed",
        actorUserId: owner.id,
        limit: 10,
      })
      assert.equal(audit.items.length, 2)

      const sessionOf = async (who: { headers: Record<string, string> }, body: Record<string, unknown>) => {
        const created = await inject(who, "POST", `/api/projects/${projectId}/sessions`, body)
        assert.equal(created.statusCode, 201, created.body)
        return created.json() as { model: string | null }
      }
      assert.equal((await sessionOf(owner, {})).model, "local/coder")
      assert.equal((await sessionOf(owner, { model: "local/writer" })).model, "local/writer")
      // No preference: the session names no model and the configuration's models.default applies.
      assert.equal((await sessionOf(editor, {})).model, null)
      // The preferences are part of the user's data export.
      const exported = await inject(owner, "GET", "/api/account/export")
      assert.deepEqual(JSON.parse(exported.body).preferences, { defaultModel: "local/coder", language: null })
      const cleared = await inject(owner, "PUT", "/api/me/preferences", { defaultModel: null })
      assert.deepEqual(cleared.json(), { defaultModel: null, language: null })
      assert.equal((await sessionOf(owner, {})).model, null)
    })

    test("one changes one's display name; /api/auth/me says whether two-factor sign-in is on", async () => {
      const { viewer } = fixture
      const before = await inject(viewer, "GET", "/api/auth/me")
      assert.equal(before.json().twoFactor, false)
      const empty = await inject(viewer, "PATCH", "/api/auth/me", { name: "   " })
      assert.deepEqual(failedFields(expectError(empty, 400, "VALIDATION_FAILED")), ["name"])
      const renamed = await inject(viewer, "PATCH", "/api/auth/me", { name: "  Vera Viewer " })
      assert.equal(renamed.statusCode, 200, renamed.body)
      assert.equal(renamed.json().user.name, "Vera Viewer")
      assert.equal((await inject(viewer, "GET", "/api/auth/me")).json().user.name, "Vera Viewer")
      const members = await inject(fixture.owner, "GET", `/api/teams/${fixture.teamId}/members`)
      const listed = (members.json() as { items: { userId: string; name: string }[] }).items
      assert.equal(listed.find((member) => member.userId === viewer.id)?.name, "Vera Viewer")
      const audit = await harness.services.auth.listAudit({
        action: "account.renamed",
        target: viewer.id,
        limit: 5,
      })
      assert.deepEqual(audit.items[0]?.details, { from: "viewer-gaps", to: "Vera Viewer" })

      const begin = await harness.services.totp.begin({ id: viewer.id, email: viewer.email })
      await harness.services.totp.confirm(
        viewer.id,
        TOTP.generate({ secret: Secret.fromBase32(begin.secret) }),
      )
      assert.equal((await inject(viewer, "GET", "/api/auth/me")).json().twoFactor, true)
    })

    test("team owners list pending invitations (never their token) and revoke them; the link then fails", async () => {
      const { owner, editor, stranger, teamId } = fixture
      const url = `/api/teams/${teamId}/invitations`
      const invite = async (email: string, role: string) => {
        const response = await inject(owner, "POST", url, { email, role })
        assert.equal(response.statusCode, 201, response.body)
        return response.json() as { token: string; expiresAt: string }
      }
      const first = await invite("first-invitee@example.test", "viewer")
      const second = await invite("second-invitee@example.test", "editor")
      const listed = await inject(owner, "GET", url)
      assert.equal(listed.statusCode, 200, listed.body)
      assert.ok(
        !listed.body.includes(first.token) && !listed.body.includes(second.token),
        "no token is listed",
      )
      const items = listed.json().items as {
        id: string
        email: string
        role: string
        expiresAt: string
        invitedBy: { userId: string; email: string | null }
      }[]
      assert.deepEqual(
        items.map((item) => [
          item.email,
          item.role,
          item.expiresAt,
          item.invitedBy.userId,
          item.invitedBy.email,
        ]),
        [
          ["second-invitee@example.test", "editor", second.expiresAt, owner.id, owner.email],
          ["first-invitee@example.test", "viewer", first.expiresAt, owner.id, owner.email],
        ],
      )
      expectError(await inject(editor, "GET", url), 403, "FORBIDDEN")
      expectError(await inject(stranger, "GET", url), 404, "TEAM_NOT_FOUND")
      const firstId = items[1]!.id
      expectError(await inject(editor, "DELETE", `${url}/${firstId}`), 403, "FORBIDDEN")
      expectError(
        await inject(stranger, "DELETE", `/api/teams/${fixture.strangerTeamId}/invitations/${firstId}`),
        404,
        "INVITATION_NOT_FOUND",
      )
      const revoked = await inject(owner, "DELETE", `${url}/${firstId}`)
      assert.equal(revoked.statusCode, 204, revoked.body)
      expectError(await inject(owner, "DELETE", `${url}/${firstId}`), 404, "INVITATION_NOT_FOUND")
      const after = (await inject(owner, "GET", url)).json().items as { email: string }[]
      assert.deepEqual(
        after.map((item) => item.email),
        ["second-invitee@example.test"],
      )
      const audit = await harness.services.auth.listAudit({
        action: "team.invitation.revoked",
        target: teamId,
        limit: 5,
      })
      assert.deepEqual(audit.items[0]?.details, {
        invitationId: firstId,
        email: "first-invitee@example.test",
        role: "viewer",
      })
      // The revoked link no longer works, even for the address it was meant for.
      const invitee = await harness.app.inject({
        method: "POST",
        url: "/api/users",
        payload: { email: "first-invitee@example.test", password: "a long enough passphrase" },
      })
      assert.equal(invitee.statusCode, 201, invitee.body)
      const { secret } = await harness.services.auth.createApiKey(
        { userId: invitee.json().id, name: "t", scope: "write" },
        { userId: invitee.json().id, keyId: null, ip: null, userAgent: null },
      )
      expectError(
        await harness.app.inject({
          method: "POST",
          url: "/api/invitations/accept",
          headers: { authorization: `Bearer ${secret}` },
          payload: { token: first.token },
        }),
        400,
        "INVITATION_INVALID",
      )
    })

    test("the audit log and its export filter by a time range", async () => {
      const action = "test.time.range"
      for (const time of ["2026-05-01T10:00:00.000Z", "2026-05-02T10:00:00.000Z", "2026-05-03T10:00:00.000Z"])
        await harness.services.store.auth.appendAudit({
          id: `aud_${time.replace(/\D/g, "").slice(0, 14)}AAAAAAAAAAAA`,
          time,
          action,
          outcome: "success",
          actorUserId: null,
          actorKeyId: null,
          target: null,
          ip: null,
          userAgent: null,
          details: {},
        })
      // An offset is understood: 12:00+02:00 is 10:00 UTC.
      const range = "from=2026-05-02T12:00:00%2B02:00&to=2026-05-03T10:00:00Z"
      const page = await harness.app.inject({ method: "GET", url: `/api/audit?action=${action}&${range}` })
      assert.equal(page.statusCode, 200, page.body)
      assert.deepEqual(
        (page.json().items as { time: string }[]).map((entry) => entry.time),
        ["2026-05-02T10:00:00.000Z"],
      )
      const exported = await harness.app.inject({
        method: "GET",
        url: `/api/audit/export?action=${action}&from=2026-05-02T00:00:00Z`,
      })
      assert.equal(exported.statusCode, 200, exported.body)
      assert.deepEqual(
        exported.body
          .trim()
          .split("\n")
          .map((line) => (JSON.parse(line) as { time: string }).time),
        ["2026-05-03T10:00:00.000Z", "2026-05-02T10:00:00.000Z"],
      )
      const wrong = await harness.app.inject({ method: "GET", url: "/api/audit?from=yesterday" })
      assert.deepEqual(failedFields(expectError(wrong, 400, "VALIDATION_FAILED")), ["from"])
    })
  })
}
