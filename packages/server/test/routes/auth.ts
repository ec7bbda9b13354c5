// Auth routes, first run: the owner created from the server's own machine, or elsewhere with the setup token
// from the log. Rate limits on sign-in and in general (memory and Redis counters), the sign-in body limit.
// Sign-in sessions: auth-sessions.ts; API keys: api-keys.ts; users: users.ts; the audit log: audit-log.ts.
import assert from "node:assert/strict"
import { PassThrough } from "node:stream"
import { describe, test } from "node:test"
import { randomRedisPrefix, testRedisUrl } from "@xionimus/testing"
import { expectError } from "../support/expect-error.ts"
import { anonymous, sessionOf, userPassword } from "../support/sign-in.ts"
import { createTestApp, ownerEmail, ownerPassword } from "../support/test-app.ts"

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
          payload: { email: "Me@Example.test", password: userPassword },
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
          payload: { email: "thief@example.test", password: userPassword },
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
        const payload = { email: "me@example.test", password: userPassword }
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
