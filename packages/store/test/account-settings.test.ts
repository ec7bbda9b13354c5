import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, test } from "node:test"
import { newId } from "@xionimus/kit"
import { openStore, type Store } from "@xionimus/store"
import { createTestSchema } from "@xionimus/testing"

function accountSettingsSuite(name: string, open: () => Promise<Store>) {
  describe(`preferences, names, pending invitations and the audit time range on ${name}`, () => {
    let store: Store
    let userId: string
    let teamId: string
    before(async () => {
      store = await open()
      userId = newId("usr")
      await store.auth.createUser({
        id: userId,
        email: "pref@example.test",
        name: "Pref",
        passwordHash: null,
        admin: false,
      })
      teamId = newId("tem")
      await store.teams.createTeam({ id: teamId, name: "T", createdAt: new Date().toISOString() }, { userId })
    })
    after(() => store.close())

    test("preferences default to null and change field by field", async () => {
      assert.deepEqual(await store.accountSettings.preferences(userId), {
        defaultModel: null,
        language: null,
      })
      const at = new Date().toISOString()
      await store.accountSettings.updatePreferences(userId, { defaultModel: "openai/gpt-4o" }, at)
      assert.deepEqual(await store.accountSettings.updatePreferences(userId, { language: "de" }, at), {
        defaultModel: "openai/gpt-4o",
        language: "de",
      })
      await store.accountSettings.updatePreferences(userId, { defaultModel: null }, at)
      assert.deepEqual(await store.accountSettings.preferences(userId), {
        defaultModel: null,
        language: "de",
      })
    })

    test("renaming changes the user's name; an unknown user is reported", async () => {
      assert.equal(await store.accountSettings.renameUser(userId, "Renamed"), true)
      assert.equal((await store.auth.getUser(userId))?.name, "Renamed")
      assert.equal(await store.accountSettings.renameUser(newId("usr"), "Nobody"), false)
    })

    test("pending invitations leave out accepted and expired ones; revoking removes one once", async () => {
      const now = new Date()
      const later = new Date(now.getTime() + 86_400_000).toISOString()
      const earlier = new Date(now.getTime() - 1000).toISOString()
      const make = async (email: string, expiresAt: string, tokenHash: string) => {
        const id = newId("inv")
        await store.teams.createInvitation({
          id,
          tokenHash,
          teamId,
          email,
          role: "viewer",
          createdBy: userId,
          createdAt: now.toISOString(),
          expiresAt,
          acceptedAt: null,
        })
        return id
      }
      const open = await make("open@example.test", later, "hash-open")
      await make("expired@example.test", earlier, "hash-expired")
      await make("accepted@example.test", later, "hash-accepted")
      assert.ok(await store.teams.takeInvitation("hash-accepted", now.toISOString()))
      const listed = await store.accountSettings.pendingInvitations(teamId, now.toISOString())
      assert.deepEqual(
        listed.map((item) => [item.id, item.email, item.role, item.invitedBy.userId, item.invitedBy.name]),
        [[open, "open@example.test", "viewer", userId, "Renamed"]],
      )
      assert.equal("tokenHash" in (listed[0] ?? {}), false)
      assert.equal(
        await store.accountSettings.revokeInvitation(newId("tem"), open, now.toISOString()),
        undefined,
      )
      assert.equal((await store.accountSettings.revokeInvitation(teamId, open, now.toISOString()))?.id, open)
      assert.equal(await store.accountSettings.revokeInvitation(teamId, open, now.toISOString()), undefined)
      assert.deepEqual(await store.accountSettings.pendingInvitations(teamId, now.toISOString()), [])
      assert.equal(await store.teams.takeInvitation("hash-open", now.toISOString()), undefined)
    })

    test("the audit log filters by a time range", async () => {
      const action = `test.range.${newId("tst")}`
      for (const time of ["2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z"])
        await store.auth.appendAudit({
          id: newId("aud"),
          time,
          action,
          outcome: "success",
          actorUserId: null,
          actorKeyId: null,
          target: null,
          ip: null,
          userAgent: null,
          details: {},
        })
      const times = async (range: { from?: string; to?: string }) =>
        (await store.auth.listAudit({ action, limit: 10, ...range })).items.map((entry) => entry.time)
      assert.deepEqual(await times({ from: "2026-02-01T00:00:00.000Z" }), [
        "2026-03-01T00:00:00.000Z",
        "2026-02-01T00:00:00.000Z",
      ])
      assert.deepEqual(await times({ to: "2026-02-01T00:00:00.000Z" }), ["2026-01-01T00:00:00.000Z"])
      assert.deepEqual(await times({ from: "2026-01-15T00:00:00.000Z", to: "2026-02-15T00:00:00.000Z" }), [
        "2026-02-01T00:00:00.000Z",
      ])
    })

    test("deleting the user deletes their preferences", async () => {
      await store.accountSettings.updatePreferences(userId, { defaultModel: "x/y" }, new Date().toISOString())
      await store.accountPolicies.deleteUser(userId)
      assert.deepEqual(await store.accountSettings.preferences(userId), {
        defaultModel: null,
        language: null,
      })
    })
  })
}

let directory: string
before(async () => {
  directory = await mkdtemp(join(tmpdir(), "xionimus-account-settings-"))
})
after(async () => {
  await rm(directory, { recursive: true, force: true })
})
accountSettingsSuite("SQLite", () => openStore({ sqlitePath: join(directory, "settings.sqlite") }))

// Fails (never skips) when PostgreSQL is unreachable.
const schema = createTestSchema()
after(() => schema.drop())
accountSettingsSuite("PostgreSQL", () => openStore({ databaseUrl: schema.url, schema: schema.schema }))
