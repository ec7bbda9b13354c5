import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { expectError } from "../support/expect-error.ts"
import { createTeamFixture, type TeamFixture } from "../support/team-fixture.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

const memberPassword = "a long enough passphrase"

export function networkTests(): void {
  describe("per-team IP allow-list", () => {
    let harness: TestApp
    let fixture: TeamFixture
    before(async () => {
      harness = await createTestApp()
      fixture = await createTeamFixture(harness, "network")
    })
    after(() => harness.close())

    const setAllow = (allow: string[], remoteAddress = "127.0.0.1", headers = fixture.owner.headers) =>
      harness.app.inject({
        method: "PUT",
        url: `/api/teams/${fixture.teamId}/network`,
        headers,
        payload: { allow },
        remoteAddress,
      })
    const project = (
      remoteAddress: string,
      headers = fixture.editor.headers,
      projectId = fixture.projectId,
    ) => harness.app.inject({ method: "GET", url: `/api/projects/${projectId}`, headers, remoteAddress })

    test("owners set it; malformed entries and lists that shut out the owner are refused", async () => {
      expectError(await setAllow(["10.0.0.0/8"], "127.0.0.1", fixture.editor.headers), 403, "FORBIDDEN")
      expectError(await setAllow(["10.0.0.0/33", "127.0.0.1"]), 400, "VALIDATION_FAILED")
      expectError(await setAllow(["not-an-address"]), 400, "VALIDATION_FAILED")
      const shutOut = expectError(await setAllow(["10.0.0.0/8"]), 400, "VALIDATION_FAILED")
      assert.match(shutOut.error.message, /Your own address \(127\.0\.0\.1\) is not in the list/)
      const set = await setAllow(["10.0.0.0/8", "127.0.0.1", "2001:db8::/32"])
      assert.equal(set.statusCode, 200, set.body)
      const read = await harness.app.inject({
        method: "GET",
        url: `/api/teams/${fixture.teamId}/network`,
        headers: fixture.viewer.headers,
      })
      assert.deepEqual(read.json(), { allow: ["10.0.0.0/8", "127.0.0.1", "2001:db8::/32"] })
      const audit = await harness.services.auth.listAudit({ action: "team.network.changed", limit: 5 })
      assert.equal(audit.items[0]?.target, fixture.teamId)
    })

    test("keys and sessions reach the team's projects only from listed addresses; refusals are audited", async () => {
      expectError(await project("192.168.1.5"), 403, "IP_NOT_ALLOWED")
      expectError(await project("::ffff:192.168.1.5"), 403, "IP_NOT_ALLOWED")
      assert.equal((await project("10.1.2.3")).statusCode, 200)
      assert.equal((await project("::ffff:10.1.2.3")).statusCode, 200)
      assert.equal((await project("2001:db8::7")).statusCode, 200)
      assert.equal((await project("127.0.0.1")).statusCode, 200)
      // The team's own routes too; another team's projects are not affected.
      const team = await harness.app.inject({
        method: "GET",
        url: `/api/teams/${fixture.teamId}/members`,
        headers: fixture.viewer.headers,
        remoteAddress: "192.168.1.5",
      })
      expectError(team, 403, "IP_NOT_ALLOWED")
      const theirs = await harness.app.inject({
        method: "POST",
        url: "/api/projects",
        headers: fixture.stranger.headers,
        payload: { name: "Elsewhere" },
        remoteAddress: "192.168.1.5",
      })
      assert.equal(theirs.statusCode, 201, theirs.body)
      const denied = await harness.services.auth.listAudit({ action: "access.denied", limit: 20 })
      assert.ok(
        denied.items.some(
          (entry) =>
            entry.details.code === "IP_NOT_ALLOWED" &&
            entry.ip === "192.168.1.5" &&
            entry.actorUserId === fixture.editor.id,
        ),
      )
    })

    test("a member signs in only from a listed address (the X-Forwarded-For of an untrusted peer is ignored)", async () => {
      const login = (remoteAddress: string, headers: Record<string, string> = {}) =>
        harness.app.inject({
          method: "POST",
          url: "/api/auth/login",
          headers: { authorization: "", ...headers },
          payload: { email: fixture.editor.email, password: memberPassword },
          remoteAddress,
        })
      const refused = await login("192.168.1.5", { "x-forwarded-for": "10.0.0.1" })
      expectError(refused, 403, "IP_NOT_ALLOWED")
      assert.equal(refused.cookies.length, 0)
      assert.equal((await login("10.20.30.40")).statusCode, 200)
      const audit = await harness.services.auth.listAudit({ action: "auth.login", limit: 10 })
      assert.ok(
        audit.items.some((entry) => entry.outcome === "denied" && entry.details.reason === "ip-not-allowed"),
      )
    })

    test("behind a trusted proxy the client is the X-Forwarded-For address", async () => {
      const proxied = await createTestApp({ config: { server: { trustedProxies: ["127.0.0.1"] } } })
      try {
        const team = await createTeamFixture(proxied, "proxied")
        const put = await proxied.app.inject({
          method: "PUT",
          url: `/api/teams/${team.teamId}/network`,
          headers: { ...team.owner.headers, "x-forwarded-for": "10.0.0.9" },
          payload: { allow: ["10.0.0.0/8"] },
        })
        assert.equal(put.statusCode, 200, put.body)
        const from = (forwarded: string) =>
          proxied.app.inject({
            method: "GET",
            url: `/api/projects/${team.projectId}`,
            headers: { ...team.editor.headers, "x-forwarded-for": forwarded },
          })
        assert.equal((await from("10.0.0.7")).statusCode, 200)
        expectError(await from("192.168.1.5"), 403, "IP_NOT_ALLOWED")
      } finally {
        await proxied.close()
      }
    })
  })
}
