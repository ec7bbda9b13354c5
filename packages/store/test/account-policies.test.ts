import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, test } from "node:test"
import { newId } from "@xionimus/kit"
import { openStore, type Store } from "@xionimus/store"
import { createTestSchema } from "@xionimus/testing"

function accountPolicySuite(name: string, open: () => Promise<Store>) {
  describe(`team settings, sandbox usage, account deletion and stored ciphertexts on ${name}`, () => {
    let store: Store
    let userId: string
    let otherId: string
    let teamId: string
    before(async () => {
      store = await open()
      userId = newId("usr")
      otherId = newId("usr")
      for (const [id, email] of [
        [userId, "leaving@example.test"],
        [otherId, "staying@example.test"],
      ] as const)
        await store.auth.createUser({ id, email, name: email, passwordHash: null, admin: false })
      teamId = newId("tem")
      await store.teams.createTeam({ id: teamId, name: "T", createdAt: new Date().toISOString() }, { userId })
      await store.teams.setMember(teamId, otherId, "owner", new Date().toISOString())
    })
    after(() => store.close())

    test("team settings default to nothing and change field by field", async () => {
      assert.deepEqual(await store.accountPolicies.teamSetting(teamId), {
        teamId,
        ipAllow: null,
        deletedMemberSessions: null,
        quotas: null,
      })
      await store.accountPolicies.updateTeamSetting(teamId, { ipAllow: ["10.0.0.0/8", "127.0.0.1"] })
      await store.accountPolicies.updateTeamSetting(teamId, {
        quotas: { modelUsdPerDay: 5, storageBytes: null },
      })
      assert.deepEqual(await store.accountPolicies.teamSetting(teamId), {
        teamId,
        ipAllow: ["10.0.0.0/8", "127.0.0.1"],
        deletedMemberSessions: null,
        quotas: { modelUsdPerDay: 5, storageBytes: null },
      })
      await store.accountPolicies.updateTeamSetting(teamId, {
        ipAllow: null,
        deletedMemberSessions: "transfer",
      })
      const changed = await store.accountPolicies.teamSetting(teamId)
      assert.equal(changed.ipAllow, null)
      assert.equal(changed.deletedMemberSessions, "transfer")
    })

    test("sandbox CPU time sums per user and team from a time on", async () => {
      const from = new Date(Date.now() - 1000).toISOString()
      await store.accountPolicies.recordSandboxUsage({ userId, teamId, projectId: "prj_a", cpuMs: 1500.4 })
      await store.accountPolicies.recordSandboxUsage({
        userId: otherId,
        teamId,
        projectId: "prj_a",
        cpuMs: 500,
      })
      assert.equal(await store.accountPolicies.sandboxCpuMs({ userId, from }), 1500)
      assert.equal(await store.accountPolicies.sandboxCpuMs({ teamId, from }), 2000)
      assert.equal(await store.accountPolicies.sandboxCpuMs({ teamId, from: "2999-01-01T00:00:00.000Z" }), 0)
    })

    test("a team's model spend counts calls naming the team and calls in its projects", async () => {
      const projectId = newId("prj")
      await store.projects.create({ id: projectId, name: `Spend ${projectId}`, source: { kind: "empty" } })
      await store.teams.assignProject(projectId, teamId)
      const call = (fields: { teamId?: string; projectId?: string; costUsd: number; time?: string }) =>
        store.usage.record({
          time: fields.time ?? new Date().toISOString(),
          provider: "openai",
          model: "gpt-4o",
          inputTokens: 1,
          outputTokens: 1,
          cachedInputTokens: 0,
          reasoningTokens: 0,
          latencyMs: 1,
          outcome: "ok",
          ...fields,
        })
      await call({ teamId, costUsd: 1 })
      await call({ projectId, costUsd: 2 })
      await call({ teamId, projectId, costUsd: 4 })
      await call({ projectId: "prj_elsewhere", costUsd: 8 })
      await call({ projectId, costUsd: 16, time: "2020-01-01T00:00:00.000Z" })
      const from = new Date(Date.now() - 60_000).toISOString()
      assert.equal(await store.accountPolicies.teamModelSpend(teamId, from), 7)
    })

    test("stored ciphertexts are listed and replaced only while unchanged", async () => {
      await store.providerSettings.put({
        ownerKind: "user",
        ownerId: userId,
        providerId: "openai",
        type: "openai",
        settings: {},
        key: { ciphertext: "old-ciphertext", hint: "…abcd" },
      })
      await store.totp.savePending({ userId, secret: "old-totp", createdAt: new Date().toISOString() })
      const sealed = (await store.accountPolicies.sealedSecrets()).filter((secret) =>
        secret.id.includes(userId),
      )
      assert.deepEqual(sealed.map((secret) => [secret.kind, secret.context, secret.ciphertext]).sort(), [
        ["provider-key", `user:${userId}:openai`, "old-ciphertext"],
        ["totp-secret", `totp:${userId}`, "old-totp"],
      ])
      for (const secret of sealed)
        assert.equal(await store.accountPolicies.replaceSealed(secret, "new"), true)
      // The second time the old value is gone: nothing is overwritten.
      for (const secret of sealed)
        assert.equal(await store.accountPolicies.replaceSealed(secret, "newer"), false)
      assert.equal((await store.providerSettings.get("user", userId, "openai"))?.keyCiphertext, "new")
    })

    test("deleting a user removes their row, memberships and provider settings; audit entries stay", async () => {
      await store.auth.appendAudit({
        id: newId("aud"),
        time: new Date().toISOString(),
        action: "auth.login",
        outcome: "success",
        actorUserId: userId,
        actorKeyId: null,
        target: null,
        ip: null,
        userAgent: null,
        details: {},
      })
      await store.accountPolicies.deleteUser(userId)
      assert.equal(await store.auth.getUser(userId), undefined)
      assert.equal(await store.teams.roleIn(teamId, userId), undefined)
      assert.equal(await store.teams.roleIn(teamId, otherId), "owner")
      assert.deepEqual(await store.providerSettings.list("user", userId), [])
      const audit = await store.auth.listAudit({ actorUserId: userId, limit: 10 })
      assert.equal(audit.items.length, 1)
    })
  })
}

let directory: string
before(async () => {
  directory = await mkdtemp(join(tmpdir(), "xionimus-policies-"))
})
after(async () => {
  await rm(directory, { recursive: true, force: true })
})
accountPolicySuite("SQLite", () => openStore({ sqlitePath: join(directory, "policies.sqlite") }))

// Fails (never skips) when PostgreSQL is unreachable.
const schema = createTestSchema()
after(() => schema.drop())
accountPolicySuite("PostgreSQL", () => openStore({ databaseUrl: schema.url, schema: schema.schema }))
