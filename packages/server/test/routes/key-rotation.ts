import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { expectError } from "../support/expect-error.ts"
import { createTeamFixture, type TeamFixture } from "../support/team-fixture.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

interface Rotated {
  apiKey: { id: string; name: string; scope: string; expiresAt: string | null }
  secret: string
  previous: { id: string; expiresAt: string | null }
}

export function keyRotationTests(): void {
  describe("API key rotation", () => {
    let harness: TestApp
    let fixture: TeamFixture
    before(async () => {
      harness = await createTestApp({ config: { auth: { keyRotationGraceHours: 48 } } })
      fixture = await createTeamFixture(harness, "rotation")
    })
    after(() => harness.close())

    const me = (headers: Record<string, string>) =>
      harness.app.inject({ method: "GET", url: "/api/auth/me", headers })
    const rotate = (keyId: string, headers: Record<string, string>, payload: Record<string, unknown> = {}) =>
      harness.app.inject({ method: "POST", url: `/api/api-keys/${keyId}/rotate`, headers, payload })

    test("the new key has the old one's name, scope and expiry; the old one works for the grace period", async () => {
      const { apiKey: old, secret: oldSecret } = await harness.services.auth.createApiKey(
        { userId: fixture.editor.id, name: "ci", scope: "read", expiresInDays: 30 },
        { userId: fixture.editor.id, keyId: null, ip: null, userAgent: null },
      )
      const response = await rotate(old.id, fixture.editor.headers)
      assert.equal(response.statusCode, 201, response.body)
      const rotated = response.json() as Rotated
      assert.notEqual(rotated.apiKey.id, old.id)
      assert.deepEqual(
        [rotated.apiKey.name, rotated.apiKey.scope, rotated.apiKey.expiresAt],
        [old.name, old.scope, old.expiresAt],
      )
      const graceMs = Date.parse(rotated.previous.expiresAt!) - Date.now()
      assert.ok(graceMs > 47 * 3_600_000 && graceMs <= 48 * 3_600_000, `grace ${graceMs} ms`)
      assert.equal((await me({ authorization: `Bearer ${rotated.secret}` })).statusCode, 200)
      assert.equal((await me({ authorization: `Bearer ${oldSecret}` })).statusCode, 200)
      const audit = await harness.services.auth.listAudit({ action: "api-key.rotated", limit: 5 })
      assert.equal(audit.items[0]?.details.newKeyId, rotated.apiKey.id)
    })

    test("after the grace period the old key is refused; revoked keys and other users' keys cannot be rotated", async () => {
      const { apiKey: old, secret: oldSecret } = await harness.services.auth.createApiKey(
        { userId: fixture.editor.id, name: "deploy", scope: "write" },
        { userId: fixture.editor.id, keyId: null, ip: null, userAgent: null },
      )
      const response = await rotate(old.id, fixture.editor.headers, { graceHours: 0 })
      assert.equal(response.statusCode, 201, response.body)
      const rotated = response.json() as Rotated
      assert.equal(rotated.apiKey.expiresAt, null)
      expectError(await me({ authorization: `Bearer ${oldSecret}` }), 401, "AUTH_INVALID")
      assert.equal((await me({ authorization: `Bearer ${rotated.secret}` })).statusCode, 200)
      // The old key is spent: rotating it again is refused.
      expectError(await rotate(old.id, fixture.editor.headers), 404, "API_KEY_NOT_FOUND")
      expectError(await rotate(rotated.apiKey.id, fixture.viewer.headers), 404, "API_KEY_NOT_FOUND")
      // A read key cannot mint a write key by rotating it.
      const { secret: readSecret } = await harness.services.auth.createApiKey(
        { userId: fixture.editor.id, name: "read", scope: "read" },
        { userId: fixture.editor.id, keyId: null, ip: null, userAgent: null },
      )
      expectError(
        await rotate(rotated.apiKey.id, { authorization: `Bearer ${readSecret}` }),
        403,
        "FORBIDDEN",
      )
    })
  })
}
