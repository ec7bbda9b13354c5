import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { type AccountClient, ApiError, createAccountClient } from "../src/index.ts"
import { startTestServer, type TestServer } from "./support/test-server.ts"

describe("SDK account client: preferences, display name, pending invitations, audit range (real server)", () => {
  let server: TestServer
  let account: AccountClient

  before(async () => {
    server = await startTestServer({
      providers: {
        local: { type: "openai-compatible", baseURL: "http://127.0.0.1:9/v1", models: ["coder"] },
      },
    })
    account = createAccountClient({ baseUrl: server.url, headers: server.headers })
  })
  after(() => server?.close())

  test("preferences round-trip; an unknown model is refused with MODEL_NOT_FOUND", async () => {
    assert.deepEqual(await account.preferences(), { defaultModel: null, language: null })
    assert.deepEqual(await account.setPreferences({ defaultModel: "local/coder", language: "de" }), {
      defaultModel: "local/coder",
      language: "de",
    })
    await assert.rejects(account.setPreferences({ defaultModel: "local/none" }), (error: unknown) => {
      assert.ok(error instanceof ApiError)
      assert.equal(error.code, "MODEL_NOT_FOUND")
      return true
    })
    assert.equal((await account.preferences()).defaultModel, "local/coder")
  })

  test("the display name changes; me() says whether two-factor sign-in is on", async () => {
    const me = await account.updateProfile({ name: "Olivia Owner" })
    assert.equal(me.user.name, "Olivia Owner")
    assert.equal(me.twoFactor, false)
    assert.equal((await account.me()).user.name, "Olivia Owner")
  })

  test("invitations are listed without tokens and revoked; the audit log filters by time", async () => {
    const [team] = await account.teams()
    assert.ok(team)
    const sent = await account.invite(team.id, {
      email: "later@example.test",
      role: "viewer",
      expiresInDays: 3,
    })
    const pending = await account.invitations(team.id)
    assert.deepEqual(
      pending.map((item) => [item.email, item.role, item.expiresAt]),
      [["later@example.test", "viewer", sent.expiresAt]],
    )
    assert.ok(!JSON.stringify(pending).includes(sent.token))
    await account.revokeInvitation(team.id, pending[0]!.id)
    assert.deepEqual(await account.invitations(team.id), [])
    const future = new Date(Date.now() + 3_600_000).toISOString()
    assert.deepEqual((await account.audit({ from: future })).items, [])
    const revoked = await account.audit({ action: "team.invitation.revoked", to: future })
    assert.equal(revoked.items.length, 1)
    assert.match(account.auditExportUrl({ from: future }), /from=/)
  })
})
