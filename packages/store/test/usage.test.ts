import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, test } from "node:test"
import { openStore, type Store, type UsageEntry } from "@xionimus/store"
import { createTestSchema } from "@xionimus/testing"

const entry = (fields: Partial<UsageEntry>): UsageEntry => ({
  time: "2026-11-22T10:00:00.000Z",
  provider: "openai",
  model: "gpt-4o",
  inputTokens: 1000,
  outputTokens: 100,
  cachedInputTokens: 200,
  reasoningTokens: 10,
  costUsd: 0.0035,
  latencyMs: 812.4,
  outcome: "ok",
  ...fields,
})

function usageSuite(name: string, open: () => Promise<Store>) {
  describe(`usage and provider settings on ${name}`, () => {
    let store: Store
    before(async () => {
      store = await open()
      await store.usage.record(
        entry({ userId: "usr_a", projectId: "prj_1", sessionId: "ses_1", teamId: "team_x" }),
      )
      await store.usage.record(
        entry({ userId: "usr_a", projectId: "prj_1", sessionId: "ses_2", time: "2026-11-23T09:00:00.000Z" }),
      )
      await store.usage.record(
        entry({
          userId: "usr_b",
          projectId: "prj_2",
          model: "claude-sonnet-4-5",
          provider: "anthropic",
          costUsd: 0.01,
        }),
      )
      await store.usage.record(
        entry({
          userId: "usr_b",
          outcome: "rate_limit",
          inputTokens: 0,
          outputTokens: 0,
          cachedInputTokens: 0,
          reasoningTokens: 0,
          costUsd: 0,
        }),
      )
    })
    after(async () => {
      await store.close()
    })

    test("totals per user, project, session, team and period", async () => {
      assert.deepEqual(await store.usage.totals({ userId: "usr_a" }), {
        calls: 2,
        inputTokens: 2000,
        outputTokens: 200,
        cachedInputTokens: 400,
        reasoningTokens: 20,
        costUsd: 0.007,
      })
      assert.equal((await store.usage.totals({ projectId: "prj_2" })).costUsd, 0.01)
      assert.equal((await store.usage.totals({ sessionId: "ses_2" })).calls, 1)
      assert.equal((await store.usage.totals({ teamId: "team_x" })).calls, 1)
      const day = await store.usage.totals({
        from: "2026-11-22T00:00:00.000Z",
        to: "2026-11-23T00:00:00.000Z",
      })
      assert.equal(day.calls, 3)
      assert.deepEqual(await store.usage.totals({ userId: "nobody" }), {
        calls: 0,
        inputTokens: 0,
        outputTokens: 0,
        cachedInputTokens: 0,
        reasoningTokens: 0,
        costUsd: 0,
      })
    })

    test("recordMany writes every row in order of arrival", async () => {
      const rows = Array.from({ length: 600 }, (_, index) =>
        entry({ sessionId: "ses_many", inputTokens: index, time: "2027-01-01T00:00:00.000Z" }),
      )
      await store.usage.recordMany(rows)
      await store.usage.recordMany([])
      const totals = await store.usage.totals({ sessionId: "ses_many" })
      assert.equal(totals.calls, 600)
      assert.equal(totals.inputTokens, (599 * 600) / 2)
    })

    test("breakdown per day, model and outcome, the most expensive first", async () => {
      const before2027 = { to: "2027-01-01T00:00:00.000Z" }
      const days = await store.usage.breakdown(before2027, "day")
      assert.deepEqual(
        days.map((row) => [row.key, row.calls]),
        [
          ["2026-11-22", 3],
          ["2026-11-23", 1],
        ],
      )
      const models = await store.usage.breakdown(before2027, "model")
      assert.deepEqual(
        models.map((row) => row.key),
        ["anthropic/claude-sonnet-4-5", "openai/gpt-4o"],
      )
      const outcomes = await store.usage.breakdown({ userId: "usr_b" }, "outcome")
      assert.deepEqual(outcomes.map((row) => row.key).sort(), ["ok", "rate_limit"])
      const teams = await store.usage.breakdown(before2027, "team")
      assert.ok(teams.some((row) => row.key === null && row.calls === 3))
    })

    test("per model, the same model id under two providers is two models", async () => {
      await store.usage.recordMany([
        entry({ sessionId: "ses_two", provider: "azure", model: "gpt-4o", costUsd: 0.5 }),
        entry({ sessionId: "ses_two", provider: "openai", model: "gpt-4o", costUsd: 0.25 }),
        entry({ sessionId: "ses_two", provider: "openai", model: "gpt-4o", costUsd: 0.125 }),
      ])
      const models = await store.usage.breakdown({ sessionId: "ses_two" }, "model")
      assert.deepEqual(
        models.map((row) => [row.key, row.calls, row.costUsd]),
        [
          ["azure/gpt-4o", 1, 0.5],
          ["openai/gpt-4o", 2, 0.375],
        ],
      )
    })

    test("provider settings: put keeps the key unless replaced, list, remove", async () => {
      const first = await store.providerSettings.put({
        ownerKind: "user",
        ownerId: "usr_a",
        providerId: "groq",
        type: "openai-compatible",
        settings: { preset: "groq", models: ["llama-3.3-70b-versatile"] },
        key: { ciphertext: "Y2lwaGVy", hint: "…abcd" },
      })
      assert.equal(first.keyHint, "…abcd")
      const updated = await store.providerSettings.put({
        ownerKind: "user",
        ownerId: "usr_a",
        providerId: "groq",
        type: "openai-compatible",
        settings: { preset: "groq" },
      })
      assert.equal(updated.keyCiphertext, "Y2lwaGVy")
      assert.deepEqual(updated.settings, { preset: "groq" })
      assert.equal(updated.createdAt, first.createdAt)
      assert.deepEqual(
        (await store.providerSettings.list("user", "usr_a")).map((record) => record.providerId),
        ["groq"],
      )
      assert.equal(await store.providerSettings.get("team", "usr_a", "groq"), undefined)
      await store.providerSettings.remove("user", "usr_a", "groq")
      await assert.rejects(store.providerSettings.remove("user", "usr_a", "groq"), {
        code: "PROVIDER_NOT_FOUND",
      })
    })
  })
}

let directory: string
before(async () => {
  directory = await mkdtemp(join(tmpdir(), "xionimus-usage-"))
})
after(async () => {
  await rm(directory, { recursive: true, force: true })
})
usageSuite("SQLite", () => openStore({ sqlitePath: join(directory, "usage.sqlite") }))

// Fails (never skips) when PostgreSQL is unreachable.
const schema = createTestSchema()
after(() => schema.drop())
usageSuite("PostgreSQL", () => openStore({ databaseUrl: schema.url, schema: schema.schema }))
