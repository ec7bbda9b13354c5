// API key routes: the secret shown once, scopes enforced, last use recorded, revocation, no wider key from a
// narrower one, another user's key out of reach; an expired key refused.
import assert from "node:assert/strict"
import { describe, test } from "node:test"
import { createAuthService } from "@xionimus/auth"
import { expectError } from "../support/expect-error.ts"
import { sharedTestApp } from "../support/shared-test-app.ts"
import { createKey, createUser, signIn, userPassword } from "../support/sign-in.ts"
import { createTestApp, ownerEmail, ownerPassword } from "../support/test-app.ts"

export function apiKeyTests(): void {
  describe("auth: API keys", () => {
    const harness = sharedTestApp(() => createTestApp())

    test("API keys: shown once, hashed at rest, scopes enforced, revocable, expiring; no wider key from a narrower one", async () => {
      const session = await signIn(harness.app, ownerEmail, ownerPassword)
      const read = await createKey(harness.app, session, "read", { name: "reader" })
      assert.match(read.secret, /^xk_[A-Za-z0-9_-]{43}$/)
      assert.equal(read.secret.startsWith(read.apiKey.prefix), true)
      const list = await harness.app.inject({ method: "GET", url: "/api/api-keys", ...session })
      assert.ok(!list.body.includes(read.secret), "the secret is never listed")
      const bearer = { authorization: `Bearer ${read.secret}` }
      assert.equal(
        (await harness.app.inject({ method: "GET", url: "/api/projects", headers: bearer })).statusCode,
        200,
      )
      const write = await harness.app.inject({
        method: "POST",
        url: "/api/projects",
        headers: bearer,
        payload: { name: "By a read key" },
      })
      expectError(write, 403, "FORBIDDEN")
      const wider = await harness.app.inject({
        method: "POST",
        url: "/api/api-keys",
        headers: bearer,
        payload: { scope: "admin" },
      })
      expectError(wider, 403, "FORBIDDEN")
      const listed = await harness.app.inject({ method: "GET", url: "/api/api-keys", headers: bearer })
      const entry = listed.json().items.find((key: { id: string }) => key.id === read.apiKey.id)
      assert.ok(entry.lastUsedAt, "last use is recorded")
      const revoke = await harness.app.inject({
        method: "DELETE",
        url: `/api/api-keys/${read.apiKey.id}`,
        ...session,
      })
      assert.equal(revoke.statusCode, 204)
      expectError(
        await harness.app.inject({ method: "GET", url: "/api/projects", headers: bearer }),
        401,
        "AUTH_INVALID",
      )

      await createUser(harness.app, "keyless@example.test")
      const other = await signIn(harness.app, "keyless@example.test", userPassword)
      const admin = await harness.app.inject({
        method: "POST",
        url: "/api/api-keys",
        ...other,
        payload: { scope: "admin" },
      })
      expectError(admin, 403, "FORBIDDEN")
      const mine = await createKey(harness.app, session, "write")
      const foreign = await harness.app.inject({
        method: "DELETE",
        url: `/api/api-keys/${mine.apiKey.id}`,
        ...other,
      })
      expectError(foreign, 404, "API_KEY_NOT_FOUND")
    })

    test("an expired key is refused", async () => {
      const owner = (await harness.services.auth.listUsers())[0]!
      // A key made three days ago that lived one day.
      const threeDaysAgo = new Date(Date.now() - 3 * 86_400_000)
      const past = createAuthService({ repository: harness.services.store.auth, clock: () => threeDaysAgo })
      const { secret, apiKey } = await past.createApiKey(
        { userId: owner.id, name: "short", scope: "read", expiresInDays: 1 },
        { userId: owner.id, keyId: null, ip: null, userAgent: null },
      )
      assert.ok(apiKey.expiresAt && Date.parse(apiKey.expiresAt) < Date.now())
      const refused = await harness.app.inject({
        method: "GET",
        url: "/api/projects",
        headers: { authorization: `Bearer ${secret}` },
      })
      expectError(refused, 401, "AUTH_INVALID")
      assert.equal((await harness.services.auth.getApiKey(apiKey.id)).lastUsedAt, null)
    })
  })
}
