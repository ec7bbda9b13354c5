import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { Secret, TOTP } from "otpauth"
import { expectError } from "../support/expect-error.ts"
import { anonymous, createUser, signIn } from "../support/sign-in.ts"
import { createTeamFixture } from "../support/team-fixture.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

const password = "a long enough passphrase"

/** The code of the time step `offset` steps from now. */
const codeOf = (secret: string, offset = 0) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + offset * 30_000 })

export function totpTests(): void {
  describe("two-factor sign-in (TOTP)", () => {
    let harness: TestApp
    before(async () => {
      harness = await createTestApp()
    })
    after(() => harness.close())

    const login = (email: string, code?: string) =>
      harness.app.inject({
        method: "POST",
        url: "/api/auth/login",
        headers: anonymous,
        payload: { email, password, ...(code ? { code } : {}) },
      })

    test("enrol, confirm, then sign-in needs a fresh code or a recovery code; replays fail; off with the password", async () => {
      const email = "two-factor@example.test"
      await createUser(harness.app, email)
      const session = await signIn(harness.app, email, password)
      const notPending = await harness.app.inject({
        method: "POST",
        url: "/api/auth/totp/confirm",
        ...session,
        payload: { code: "123456" },
      })
      expectError(notPending, 409, "TOTP_NOT_PENDING")
      const begin = await harness.app.inject({ method: "POST", url: "/api/auth/totp", ...session })
      assert.equal(begin.statusCode, 201, begin.body)
      const { secret, uri } = begin.json() as { secret: string; uri: string }
      assert.match(uri, /^otpauth:\/\/totp\/Xionimus:two-factor%40example\.test\?/)
      assert.ok(uri.includes(`secret=${secret}`))
      const wrong = await harness.app.inject({
        method: "POST",
        url: "/api/auth/totp/confirm",
        ...session,
        payload: { code: codeOf(secret, 5) },
      })
      expectError(wrong, 401, "AUTH_INVALID")
      const usedAtConfirm = codeOf(secret)
      const confirm = await harness.app.inject({
        method: "POST",
        url: "/api/auth/totp/confirm",
        ...session,
        payload: { code: usedAtConfirm },
      })
      assert.equal(confirm.statusCode, 200, confirm.body)
      const { recoveryCodes } = confirm.json() as { recoveryCodes: string[] }
      assert.equal(recoveryCodes.length, 10)
      expectError(
        await harness.app.inject({ method: "POST", url: "/api/auth/totp", ...session }),
        409,
        "TOTP_ALREADY_ENABLED",
      )

      expectError(await login(email), 401, "TOTP_REQUIRED")
      expectError(await login(email, usedAtConfirm), 401, "AUTH_INVALID")
      const next = codeOf(secret, 1)
      assert.equal((await login(email, next)).statusCode, 200)
      expectError(await login(email, next), 401, "AUTH_INVALID")
      assert.equal((await login(email, recoveryCodes[0]!.toLowerCase())).statusCode, 200)
      expectError(await login(email, recoveryCodes[0]), 401, "AUTH_INVALID")
      const audit = await harness.services.auth.listAudit({ action: "auth.login", target: email, limit: 20 })
      assert.ok(audit.items.some((entry) => entry.details.reason === "wrong-second-factor"))

      const off = (body: { password: string }) =>
        harness.app.inject({ method: "DELETE", url: "/api/auth/totp", ...session, payload: body })
      expectError(await off({ password: "not the password" }), 401, "AUTH_INVALID")
      assert.equal((await off({ password })).statusCode, 204)
      assert.equal((await login(email)).statusCode, 200)
    })

    test("guessing codes runs into the account lockout", async () => {
      const email = "guesser@example.test"
      await createUser(harness.app, email)
      const session = await signIn(harness.app, email, password)
      const { secret } = (
        await harness.app.inject({ method: "POST", url: "/api/auth/totp", ...session })
      ).json()
      await harness.app.inject({
        method: "POST",
        url: "/api/auth/totp/confirm",
        ...session,
        payload: { code: codeOf(secret) },
      })
      for (let guess = 0; guess < 5; guess++) expectError(await login(email, "000000"), 401, "AUTH_INVALID")
      expectError(await login(email, codeOf(secret, 1)), 429, "ACCOUNT_LOCKED")
    })
  })
}

export function accountExportTests(): void {
  describe("account data export", () => {
    test("a user downloads their profile, teams, sessions, keys and audit entries, and nobody else's", async () => {
      const harness = await createTestApp()
      try {
        await createUser(harness.app, "exporter@example.test")
        await createUser(harness.app, "bystander@example.test")
        const mine = await signIn(harness.app, "exporter@example.test", password)
        await signIn(harness.app, "bystander@example.test", password)
        const response = await harness.app.inject({ method: "GET", url: "/api/account/export", ...mine })
        assert.equal(response.statusCode, 200, response.body)
        assert.match(String(response.headers["content-disposition"]), /attachment/)
        const data = JSON.parse(response.body)
        assert.equal(data.user.email, "exporter@example.test")
        assert.equal(data.teams.length, 1)
        assert.equal(data.sessions.length, 1)
        assert.equal(data.twoFactor, false)
        assert.ok(data.audit.some((entry: { action: string }) => entry.action === "auth.login"))
        assert.ok(data.audit.some((entry: { action: string }) => entry.action === "user.created"))
        assert.ok(!response.body.includes("bystander@example.test"), "nothing about other users")
        assert.ok(!response.body.includes("passwordHash") && !response.body.includes("argon2"))
        expectError(
          await harness.app.inject({ method: "GET", url: "/api/account/export", headers: anonymous }),
          401,
          "AUTH_REQUIRED",
        )
      } finally {
        await harness.close()
      }
    })
  })
}

export function twoFactorPolicyTests(): void {
  describe("team policy: two-factor sign-in required", () => {
    test("members without two-factor are refused the team's projects until they turn it on", async () => {
      const harness = await createTestApp()
      try {
        const fixture = await createTeamFixture(harness, "policy")
        const project = () =>
          harness.app.inject({
            method: "GET",
            url: `/api/projects/${fixture.projectId}`,
            headers: fixture.editor.headers,
          })
        assert.equal((await project()).statusCode, 200)
        const byEditor = await harness.app.inject({
          method: "PUT",
          url: `/api/teams/${fixture.teamId}/policy`,
          headers: fixture.editor.headers,
          payload: { requireTwoFactor: true },
        })
        expectError(byEditor, 403, "FORBIDDEN")
        const set = await harness.app.inject({
          method: "PUT",
          url: `/api/teams/${fixture.teamId}/policy`,
          headers: fixture.owner.headers,
          payload: { requireTwoFactor: true },
        })
        assert.deepEqual(set.json(), { requireTwoFactor: true, deletedMemberSessions: "delete" })
        expectError(await project(), 403, "TWO_FACTOR_REQUIRED")
        const { secret } = (
          await harness.app.inject({ method: "POST", url: "/api/auth/totp", headers: fixture.editor.headers })
        ).json()
        await harness.app.inject({
          method: "POST",
          url: "/api/auth/totp/confirm",
          headers: fixture.editor.headers,
          payload: { code: codeOf(secret) },
        })
        assert.equal((await project()).statusCode, 200)
        const policyChanges = await harness.services.auth.listAudit({
          action: "team.policy.changed",
          limit: 5,
        })
        assert.equal(policyChanges.items.length, 1)
      } finally {
        await harness.close()
      }
    })
  })
}
