// Auth routes, sign-in sessions: login and logout (no session fixation), tampered cookies and keys, CSRF,
// the lockout after wrong passwords, password change and reset links, ending another user's session (IDOR),
// and the security headers of every answer.
import assert from "node:assert/strict"
import { describe, test } from "node:test"
import { expectError } from "../support/expect-error.ts"
import { sharedTestApp } from "../support/shared-test-app.ts"
import { anonymous, createUser, sessionOf, signIn, userPassword } from "../support/sign-in.ts"
import { createTestApp, ownerEmail, ownerPassword } from "../support/test-app.ts"

export function authSessionTests(): void {
  describe("auth: sign-in sessions and passwords", () => {
    const harness = sharedTestApp(() => createTestApp())

    test("login, me, sessions, logout; a planted session id is never promoted (fixation)", async () => {
      const planted = { xionimus_session: "attacker-chosen-value" }
      const login = await harness.app.inject({
        method: "POST",
        url: "/api/auth/login",
        headers: anonymous,
        cookies: planted,
        payload: { email: ownerEmail, password: ownerPassword },
      })
      assert.equal(login.statusCode, 200, login.body)
      const session = sessionOf(login)
      assert.notEqual(session.cookies.xionimus_session, planted.xionimus_session)
      const withPlanted = await harness.app.inject({
        method: "GET",
        url: "/api/auth/me",
        headers: anonymous,
        cookies: planted,
      })
      expectError(withPlanted, 401, "AUTH_INVALID")
      const me = await harness.app.inject({ method: "GET", url: "/api/auth/me", ...session })
      assert.equal(me.json().user.email, ownerEmail)
      const sessions = await harness.app.inject({ method: "GET", url: "/api/auth/sessions", ...session })
      const current = sessions.json().items.find((item: { current: boolean }) => item.current)
      assert.ok(current)
      const logout = await harness.app.inject({ method: "POST", url: "/api/auth/logout", ...session })
      assert.equal(logout.statusCode, 204)
      const after = await harness.app.inject({ method: "GET", url: "/api/auth/me", ...session })
      expectError(after, 401, "AUTH_INVALID")
    })

    test("a tampered cookie or key, or a malformed Authorization header, is 401 AUTH_INVALID", async () => {
      const session = await signIn(harness.app, ownerEmail, ownerPassword)
      // Changes one character inside the value for sure (a fixed "AA" ending left a value ending in "AA"
      // unchanged; the last base64 character may only carry padding bits).
      const tamper = (value: string) => {
        const at = value.length - 6
        return `${value.slice(0, at)}${value[at] === "A" ? "B" : "A"}${value.slice(at + 1)}`
      }
      const tampered = tamper(session.cookies.xionimus_session!)
      for (const attempt of [
        { headers: anonymous, cookies: { xionimus_session: tampered } },
        { headers: { authorization: `Bearer ${tamper(harness.ownerKey)}` } },
        { headers: { authorization: "Basic b3duZXI6cGFzcw==" } },
      ]) {
        const response = await harness.app.inject({ method: "GET", url: "/api/projects", ...attempt })
        expectError(response, 401, "AUTH_INVALID")
      }
      const anonymousCall = await harness.app.inject({
        method: "GET",
        url: "/api/projects",
        headers: anonymous,
      })
      expectError(anonymousCall, 401, "AUTH_REQUIRED")
    })

    test("a change by cookie without the CSRF header is 403 CSRF_FAILED and changes nothing", async () => {
      const session = await signIn(harness.app, ownerEmail, ownerPassword)
      for (const csrf of [undefined, "wrong"]) {
        const response = await harness.app.inject({
          method: "POST",
          url: "/api/projects",
          headers: { ...anonymous, ...(csrf ? { "x-csrf-token": csrf } : {}) },
          cookies: session.cookies,
          payload: { name: "Forged" },
        })
        expectError(response, 403, "CSRF_FAILED")
      }
      const list = await harness.app.inject({ method: "GET", url: "/api/projects?q=Forged" })
      assert.deepEqual(list.json().items, [])
      const denials = await harness.services.auth.listAudit({ action: "access.denied", limit: 10 })
      assert.ok(denials.items.some((entry) => entry.details.code === "CSRF_FAILED"))
      const allowed = await harness.app.inject({
        method: "POST",
        url: "/api/projects",
        ...session,
        payload: { name: "Allowed" },
      })
      assert.equal(allowed.statusCode, 201, allowed.body)
    })

    test("wrong passwords lock the account after five tries, audited, even for the right password", async () => {
      const email = "locked@example.test"
      await createUser(harness.app, email)
      for (let attempt = 0; attempt < 5; attempt++) {
        const wrong = await harness.app.inject({
          method: "POST",
          url: "/api/auth/login",
          headers: anonymous,
          payload: { email, password: "not the password at all" },
        })
        expectError(wrong, 401, "AUTH_INVALID")
      }
      const locked = await harness.app.inject({
        method: "POST",
        url: "/api/auth/login",
        headers: anonymous,
        payload: { email, password: userPassword },
      })
      const body = expectError(locked, 429, "ACCOUNT_LOCKED")
      assert.ok(Number(locked.headers["retry-after"]) > 0)
      assert.ok((body.error.details as { retryAfterSeconds: number }).retryAfterSeconds > 0)
      const audit = await harness.services.auth.listAudit({ action: "auth.login", target: email, limit: 10 })
      assert.deepEqual(
        audit.items.map((entry) => entry.outcome),
        ["denied", "failure", "failure", "failure", "failure", "failure"],
      )
      const unknown = await harness.app.inject({
        method: "POST",
        url: "/api/auth/login",
        headers: anonymous,
        payload: { email: "nobody@example.test", password: userPassword },
      })
      expectError(unknown, 401, "AUTH_INVALID")
    })

    test("password change ends the other sessions; a reset link works once", async () => {
      const email = "changer@example.test"
      const userId = await createUser(harness.app, email)
      const first = await signIn(harness.app, email, userPassword)
      const second = await signIn(harness.app, email, userPassword)
      const wrong = await harness.app.inject({
        method: "POST",
        url: "/api/auth/password",
        ...first,
        payload: { currentPassword: "not my password", newPassword: "another long passphrase" },
      })
      expectError(wrong, 401, "AUTH_INVALID")
      const changed = await harness.app.inject({
        method: "POST",
        url: "/api/auth/password",
        ...first,
        payload: { currentPassword: userPassword, newPassword: "another long passphrase" },
      })
      assert.equal(changed.statusCode, 204, changed.body)
      assert.equal(
        (await harness.app.inject({ method: "GET", url: "/api/auth/me", ...first })).statusCode,
        200,
      )
      expectError(
        await harness.app.inject({ method: "GET", url: "/api/auth/me", ...second }),
        401,
        "AUTH_INVALID",
      )

      const link = await harness.app.inject({ method: "POST", url: `/api/users/${userId}/reset-link` })
      assert.equal(link.statusCode, 201, link.body)
      const { token, url } = link.json() as { token: string; url: string }
      assert.ok(url.includes(`#/reset-password?token=${token}`))
      const reset = { method: "POST" as const, url: "/api/auth/reset", headers: anonymous }
      expectError(
        await harness.app.inject({ ...reset, payload: { token, newPassword: "weak" } }),
        400,
        "PASSWORD_WEAK",
      )
      const done = await harness.app.inject({
        ...reset,
        payload: { token, newPassword: "the third passphrase" },
      })
      assert.equal(done.statusCode, 204, done.body)
      expectError(
        await harness.app.inject({ method: "GET", url: "/api/auth/me", ...first }),
        401,
        "AUTH_INVALID",
      )
      const reused = await harness.app.inject({
        ...reset,
        payload: { token, newPassword: "a fourth passphrase" },
      })
      expectError(reused, 400, "RESET_TOKEN_INVALID")
      await signIn(harness.app, email, "the third passphrase")
    })

    test("sessions of another user cannot be ended by id (IDOR)", async () => {
      const mine = await signIn(harness.app, ownerEmail, ownerPassword)
      await createUser(harness.app, "other@example.test")
      const theirs = await signIn(harness.app, "other@example.test", userPassword)
      const list = await harness.app.inject({ method: "GET", url: "/api/auth/sessions", ...theirs })
      const theirId = list.json().items[0].id as string
      const attempt = await harness.app.inject({
        method: "DELETE",
        url: `/api/auth/sessions/${theirId}`,
        ...mine,
      })
      expectError(attempt, 404, "LOGIN_SESSION_NOT_FOUND")
      assert.equal(
        (await harness.app.inject({ method: "GET", url: "/api/auth/me", ...theirs })).statusCode,
        200,
      )
      const own = await harness.app.inject({
        method: "DELETE",
        url: `/api/auth/sessions/${theirId}`,
        ...theirs,
      })
      assert.equal(own.statusCode, 204)
      expectError(
        await harness.app.inject({ method: "GET", url: "/api/auth/me", ...theirs }),
        401,
        "AUTH_INVALID",
      )
    })

    test("answers carry security headers and no CORS permission", async () => {
      const response = await harness.app.inject({
        method: "GET",
        url: "/api/projects",
        headers: { origin: "https://evil.example" },
      })
      assert.match(String(response.headers["content-security-policy"]), /frame-ancestors 'none'/)
      assert.equal(response.headers["x-frame-options"], "DENY")
      assert.equal(response.headers["x-content-type-options"], "nosniff")
      assert.equal(response.headers["access-control-allow-origin"], undefined)
      assert.equal(response.headers["strict-transport-security"], undefined, "no HSTS over plain HTTP")
    })
  })
}
