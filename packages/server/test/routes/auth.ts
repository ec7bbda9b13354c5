import assert from "node:assert/strict"
import { PassThrough } from "node:stream"
import { after, before, describe, test } from "node:test"
import { createAuthService } from "@xionimus/auth"
import { randomRedisPrefix, testRedisUrl } from "@xionimus/testing"
import { expectError } from "../support/expect-error.ts"
import { anonymous, createKey, createUser, sessionOf, signIn } from "../support/sign-in.ts"
import { createTestApp, ownerEmail, ownerPassword, type TestApp } from "../support/test-app.ts"

const strongPassword = "a long enough passphrase"

export function authTests(): void {
  describe("auth: first run", () => {
    test("status says setup is required; loopback creates the owner and signs in; a second setup is refused", async () => {
      const harness = await createTestApp({ signedIn: false })
      try {
        const status = await harness.app.inject({ method: "GET", url: "/api/auth/status" })
        assert.deepEqual(status.json(), { setupRequired: true, setupFromHere: true, principal: null })
        const weak = await harness.app.inject({
          method: "POST",
          url: "/api/auth/setup",
          payload: { email: "me@example.test", password: "short" },
        })
        expectError(weak, 400, "PASSWORD_WEAK")
        assert.equal(await harness.services.auth.setupRequired(), true, "a refused setup leaves nothing")
        const setup = await harness.app.inject({
          method: "POST",
          url: "/api/auth/setup",
          payload: { email: "Me@Example.test", password: strongPassword },
        })
        assert.equal(setup.statusCode, 201, setup.body)
        assert.equal(setup.json().user.email, "me@example.test")
        assert.equal(setup.json().user.admin, true)
        const sessionCookie = setup.cookies.find((cookie) => cookie.name === "xionimus_session")
        assert.equal(sessionCookie?.httpOnly, true)
        assert.equal(sessionCookie?.sameSite, "Strict")
        const csrfCookie = setup.cookies.find((cookie) => cookie.name === "xionimus_csrf")
        assert.equal(csrfCookie?.httpOnly, undefined)
        const session = sessionOf(setup)
        const me = await harness.app.inject({ method: "GET", url: "/api/auth/status", ...session })
        assert.equal(me.json().principal.user.email, "me@example.test")
        assert.equal(me.json().principal.via, "session")
        const again = await harness.app.inject({
          method: "POST",
          url: "/api/auth/setup",
          payload: { email: "thief@example.test", password: strongPassword },
        })
        expectError(again, 409, "SETUP_DONE")
        assert.equal((await harness.services.auth.listUsers()).length, 1)
      } finally {
        await harness.close()
      }
    })

    test("from another machine or through a proxy, setup needs the token printed in the log", async () => {
      const log = new PassThrough()
      let text = ""
      log.on("data", (chunk) => {
        text += chunk
      })
      const harness = await createTestApp({ signedIn: false, logDestination: log })
      try {
        await harness.app.ready()
        const token = /"setupToken":"(setup_[A-Za-z0-9_-]+)"/.exec(text)?.[1]
        assert.ok(token, "the setup token is in the log")
        const remote = { remoteAddress: "203.0.113.7" }
        const status = await harness.app.inject({ method: "GET", url: "/api/auth/status", ...remote })
        assert.equal(status.json().setupFromHere, false)
        const payload = { email: "me@example.test", password: strongPassword }
        for (const attempt of [
          { ...remote, payload },
          { ...remote, payload: { ...payload, setupToken: "setup_wrong" } },
          { headers: { "x-forwarded-for": "203.0.113.7" }, payload },
        ]) {
          const refused = await harness.app.inject({ method: "POST", url: "/api/auth/setup", ...attempt })
          expectError(refused, 403, "SETUP_TOKEN_INVALID")
        }
        assert.equal(await harness.services.auth.setupRequired(), true)
        const denied = await harness.services.auth.listAudit({ action: "auth.setup", limit: 10 })
        assert.equal(denied.items.length, 3)
        const created = await harness.app.inject({
          method: "POST",
          url: "/api/auth/setup",
          ...remote,
          payload: { ...payload, setupToken: token },
        })
        assert.equal(created.statusCode, 201, created.body)
      } finally {
        await harness.close()
      }
    })
  })

  describe("auth: sessions, passwords, keys", () => {
    let harness: TestApp
    before(async () => {
      harness = await createTestApp()
    })
    after(() => harness.close())

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
        payload: { email, password: strongPassword },
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
        payload: { email: "nobody@example.test", password: strongPassword },
      })
      expectError(unknown, 401, "AUTH_INVALID")
    })

    test("password change ends the other sessions; a reset link works once", async () => {
      const email = "changer@example.test"
      const userId = await createUser(harness.app, email)
      const first = await signIn(harness.app, email, strongPassword)
      const second = await signIn(harness.app, email, strongPassword)
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
        payload: { currentPassword: strongPassword, newPassword: "another long passphrase" },
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
      const theirs = await signIn(harness.app, "other@example.test", strongPassword)
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
      const other = await signIn(harness.app, "keyless@example.test", strongPassword)
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

    test("users: admins create, list, disable (ending sessions and keys) and enable; others are refused", async () => {
      const userId = await createUser(harness.app, "member@example.test")
      const member = await signIn(harness.app, "member@example.test", strongPassword)
      const key = await createKey(harness.app, member, "write")
      const asMember = await harness.app.inject({ method: "GET", url: "/api/users", ...member })
      expectError(asMember, 403, "FORBIDDEN")
      const escalate = await harness.app.inject({
        method: "POST",
        url: "/api/users",
        ...member,
        payload: { email: "evil@example.test", password: strongPassword, admin: true },
      })
      expectError(escalate, 403, "FORBIDDEN")
      const duplicate = await harness.app.inject({
        method: "POST",
        url: "/api/users",
        payload: { email: "member@example.test", password: strongPassword },
      })
      expectError(duplicate, 409, "EMAIL_TAKEN")
      const users = await harness.app.inject({ method: "GET", url: "/api/users" })
      assert.ok(users.json().items.some((user: { email: string }) => user.email === "member@example.test"))
      assert.ok(!users.json().items.some((user: { email: string }) => user.email === "evil@example.test"))
      const disabled = await harness.app.inject({ method: "POST", url: `/api/users/${userId}/disable` })
      assert.ok(disabled.json().disabledAt)
      expectError(
        await harness.app.inject({ method: "GET", url: "/api/auth/me", ...member }),
        401,
        "AUTH_INVALID",
      )
      const byKey = { authorization: `Bearer ${key.secret}` }
      expectError(
        await harness.app.inject({ method: "GET", url: "/api/auth/me", headers: byKey }),
        401,
        "AUTH_INVALID",
      )
      const login = await harness.app.inject({
        method: "POST",
        url: "/api/auth/login",
        headers: anonymous,
        payload: { email: "member@example.test", password: strongPassword },
      })
      expectError(login, 401, "AUTH_INVALID")
      const enabled = await harness.app.inject({ method: "POST", url: `/api/users/${userId}/enable` })
      assert.equal(enabled.json().disabledAt, null)
      assert.equal(
        (await harness.app.inject({ method: "GET", url: "/api/auth/me", headers: byKey })).statusCode,
        200,
      )
    })

    test("the audit log pages and exports as NDJSON, for admins only", async () => {
      const page = await harness.app.inject({ method: "GET", url: "/api/audit?limit=2" })
      assert.equal(page.statusCode, 200, page.body)
      assert.equal(page.json().items.length, 2)
      const next = await harness.app.inject({
        method: "GET",
        url: `/api/audit?limit=2&cursor=${page.json().nextCursor}`,
      })
      assert.ok(next.json().items[0].id < page.json().items[1].id)
      const filtered = await harness.app.inject({ method: "GET", url: "/api/audit?action=api-key.created" })
      assert.ok(
        filtered.json().items.every((entry: { action: string }) => entry.action === "api-key.created"),
      )
      const exported = await harness.app.inject({ method: "GET", url: "/api/audit/export?action=auth.login" })
      assert.equal(exported.headers["content-type"], "application/x-ndjson")
      const lines = exported.body
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line))
      assert.ok(lines.length > 5)
      assert.ok(lines.every((entry) => entry.action === "auth.login" && entry.time && "ip" in entry))
      const member = await signIn(harness.app, "member@example.test", strongPassword).catch(() => undefined)
      if (member)
        expectError(
          await harness.app.inject({ method: "GET", url: "/api/audit", ...member }),
          403,
          "FORBIDDEN",
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

export function rateLimitTests(): void {
  describe("rate limits", () => {
    for (const store of ["memory", "redis"] as const) {
      test(`sign-in and general limits answer 429 RATE_LIMITED with retry-after (${store})`, async () => {
        const harness = await createTestApp({
          ...(store === "redis"
            ? { config: { redisUrl: testRedisUrl() }, services: { redisPrefix: randomRedisPrefix() } }
            : {}),
          app: { rateLimits: { perMinute: 5, signInPerMinute: 3, namespace: `${randomRedisPrefix()}rate-` } },
        })
        try {
          const login = () =>
            harness.app.inject({
              method: "POST",
              url: "/api/auth/login",
              headers: anonymous,
              payload: { email: ownerEmail, password: ownerPassword },
            })
          for (let attempt = 0; attempt < 3; attempt++) assert.equal((await login()).statusCode, 200)
          const limited = await login()
          const body = expectError(limited, 429, "RATE_LIMITED")
          assert.ok(Number(limited.headers["retry-after"]) > 0)
          assert.ok((body.error.details as { retryAfterSeconds: number }).retryAfterSeconds > 0)
          for (let call = 0; call < 5; call++) {
            assert.equal((await harness.app.inject({ method: "GET", url: "/api/auth/me" })).statusCode, 200)
          }
          expectError(await harness.app.inject({ method: "GET", url: "/api/auth/me" }), 429, "RATE_LIMITED")
          const other = await harness.services.auth.createApiKey(
            { userId: (await harness.services.auth.listUsers())[0]!.id, name: "other", scope: "read" },
            { userId: null, keyId: null, ip: null, userAgent: null },
          )
          const separate = await harness.app.inject({
            method: "GET",
            url: "/api/auth/me",
            headers: { authorization: `Bearer ${other.secret}` },
          })
          assert.equal(separate.statusCode, 200, "each key has its own counter")
        } finally {
          await harness.close()
        }
      })
    }

    test("an oversized sign-in body is 413 PAYLOAD_TOO_LARGE and signs nobody in", async () => {
      const harness = await createTestApp({ config: { server: { bodyLimitBytes: 2048 } } })
      try {
        const response = await harness.app.inject({
          method: "POST",
          url: "/api/auth/login",
          headers: anonymous,
          payload: { email: ownerEmail, password: "x".repeat(10_000) },
        })
        expectError(response, 413, "PAYLOAD_TOO_LARGE")
        assert.equal(response.cookies.length, 0)
      } finally {
        await harness.close()
      }
    })
  })
}
