// User administration routes: admins create, list, disable (ending the user's sessions and keys) and enable
// users; others are refused, an email is taken once.
import assert from "node:assert/strict"
import { describe, test } from "node:test"
import { expectError } from "../support/expect-error.ts"
import { sharedTestApp } from "../support/shared-test-app.ts"
import { anonymous, createKey, createUser, signIn, userPassword } from "../support/sign-in.ts"
import { createTestApp } from "../support/test-app.ts"

export function userTests(): void {
  describe("auth: users", () => {
    const harness = sharedTestApp(() => createTestApp())

    test("users: admins create, list, disable (ending sessions and keys) and enable; others are refused", async () => {
      const userId = await createUser(harness.app, "member@example.test")
      const member = await signIn(harness.app, "member@example.test", userPassword)
      const key = await createKey(harness.app, member, "write")
      const asMember = await harness.app.inject({ method: "GET", url: "/api/users", ...member })
      expectError(asMember, 403, "FORBIDDEN")
      const escalate = await harness.app.inject({
        method: "POST",
        url: "/api/users",
        ...member,
        payload: { email: "evil@example.test", password: userPassword, admin: true },
      })
      expectError(escalate, 403, "FORBIDDEN")
      const duplicate = await harness.app.inject({
        method: "POST",
        url: "/api/users",
        payload: { email: "member@example.test", password: userPassword },
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
        payload: { email: "member@example.test", password: userPassword },
      })
      expectError(login, 401, "AUTH_INVALID")
      const enabled = await harness.app.inject({ method: "POST", url: `/api/users/${userId}/enable` })
      assert.equal(enabled.json().disabledAt, null)
      assert.equal(
        (await harness.app.inject({ method: "GET", url: "/api/auth/me", headers: byKey })).statusCode,
        200,
      )
    })
  })
}
