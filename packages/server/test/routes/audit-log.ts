// The audit log routes: pages, a filter by action, the NDJSON export, admins only.
import assert from "node:assert/strict"
import { describe, test } from "node:test"
import { expectError } from "../support/expect-error.ts"
import { sharedTestApp } from "../support/shared-test-app.ts"
import { anonymous, createKey, createUser, signIn, userPassword } from "../support/sign-in.ts"
import { createTestApp, ownerEmail, ownerPassword } from "../support/test-app.ts"

export function auditLogTests(): void {
  describe("auth: audit log", () => {
    const harness = sharedTestApp(() => createTestApp())

    test("the audit log pages and exports as NDJSON, for admins only", async () => {
      // Entries to read: the owner signs in three times, a member twice and fails once; the member makes a key.
      for (let count = 0; count < 3; count++) await signIn(harness.app, ownerEmail, ownerPassword)
      await createUser(harness.app, "member@example.test")
      const member = await signIn(harness.app, "member@example.test", userPassword)
      await signIn(harness.app, "member@example.test", userPassword)
      const wrong = await harness.app.inject({
        method: "POST",
        url: "/api/auth/login",
        headers: anonymous,
        payload: { email: "member@example.test", password: "not the password at all" },
      })
      expectError(wrong, 401, "AUTH_INVALID")
      await createKey(harness.app, member, "read")

      const page = await harness.app.inject({ method: "GET", url: "/api/audit?limit=2" })
      assert.equal(page.statusCode, 200, page.body)
      assert.equal(page.json().items.length, 2)
      const next = await harness.app.inject({
        method: "GET",
        url: `/api/audit?limit=2&cursor=${page.json().nextCursor}`,
      })
      assert.ok(next.json().items[0].id < page.json().items[1].id)
      const filtered = await harness.app.inject({ method: "GET", url: "/api/audit?action=api-key.created" })
      assert.ok(filtered.json().items.length > 0)
      assert.ok(
        filtered.json().items.every((entry: { action: string }) => entry.action === "api-key.created"),
      )
      const exported = await harness.app.inject({ method: "GET", url: "/api/audit/export?action=auth.login" })
      assert.equal(exported.headers["content-type"], "application/x-ndjson")
      const lines = exported.body
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line))
      assert.ok(lines.length > 5, `${lines.length} sign-ins exported`)
      assert.ok(lines.every((entry) => entry.action === "auth.login" && entry.time && "ip" in entry))
      expectError(await harness.app.inject({ method: "GET", url: "/api/audit", ...member }), 403, "FORBIDDEN")
    })
  })
}
