import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { type MockProviderServer, startMockProvider } from "@xionimus/testing"
import {
  ApiError,
  createClient,
  createProvidersClient,
  createSessionsClient,
  type ProvidersClient,
} from "../src/index.ts"
import { startTestServer, type TestServer } from "./support/test-server.ts"

describe("SDK providers client (real server, mock model provider)", () => {
  let server: TestServer
  let mock: MockProviderServer
  let providers: ProvidersClient

  before(async () => {
    mock = await startMockProvider({ models: ["m1"], apiKey: "sk-mock-9f3a" })
    server = await startTestServer({
      models: { catalog: { "mine/m1": { prices: { input: 2, output: 10 } } } },
      quotas: { user: { modelUsdPerDay: 3 } },
    })
    providers = createProvidersClient({ baseUrl: server.url, headers: server.headers })
  })
  after(async () => {
    await server?.close()
    await mock?.close()
  })

  test("stores a provider with a write-only key, tests it, and removes it", async () => {
    assert.deepEqual(await providers.listProviders(), [])
    const saved = await providers.putProvider({
      providerId: "mine",
      type: "openai-compatible",
      baseURL: mock.baseURLs.compatible,
      apiKey: "sk-mock-9f3a",
      models: ["m1"],
    })
    assert.equal(saved.keyHint, "…9f3a")
    assert.equal(saved.ownerKind, "user")
    const listed = await providers.listProviders()
    assert.deepEqual(
      listed.map((item) => item.providerId),
      ["mine"],
    )
    assert.ok(!JSON.stringify(listed).includes("sk-mock-9f3a"), "the key never comes back")

    const ok = await providers.testProvider("mine")
    assert.equal(ok.ok, true)
    assert.ok(ok.models.includes("m1"), `the endpoint's models: ${ok.models.join(", ")}`)

    // Saving again without a key keeps the stored one (the test still passes the mock's key check).
    await providers.putProvider({
      providerId: "mine",
      type: "openai-compatible",
      baseURL: mock.baseURLs.compatible,
    })
    assert.equal((await providers.testProvider("mine")).ok, true)
    // A wrong key: a 200 answer with ok false and the reason.
    await providers.putProvider({
      providerId: "mine",
      type: "openai-compatible",
      baseURL: mock.baseURLs.compatible,
      apiKey: "sk-wrong-0000",
      models: ["m1"],
    })
    const refused = await providers.testProvider("mine")
    assert.equal(refused.ok, false)
    assert.equal(refused.error?.reason, "auth")

    await assert.rejects(providers.testProvider("nowhere"), (error: unknown) => {
      assert.ok(error instanceof ApiError)
      assert.equal(error.code, "PROVIDER_NOT_FOUND")
      return true
    })
    await assert.rejects(
      providers.putProvider({ providerId: "bare", type: "openai-compatible" }),
      (error: unknown) => error instanceof ApiError && error.code === "VALIDATION_FAILED",
    )
    await providers.removeProvider("mine")
    assert.deepEqual(await providers.listProviders(), [])
  })

  test("a team's providers, for its owner", async () => {
    const [team] = await providers.teams()
    assert.ok(team, "the owner has a team")
    assert.equal(team.role, "owner")
    const saved = await providers.putProvider(
      { providerId: "shared", type: "ollama", baseURL: "http://127.0.0.1:11434" },
      { teamId: team.id },
    )
    assert.equal(saved.ownerKind, "team")
    assert.equal(saved.keyHint, null)
    assert.deepEqual(
      (await providers.listProviders({ teamId: team.id })).map((item) => item.providerId),
      ["shared"],
    )
    assert.deepEqual(await providers.listProviders(), [], "the user's own list stays apart")
    await providers.removeProvider("shared", { teamId: team.id })
    assert.deepEqual(await providers.listProviders({ teamId: team.id }), [])
  })

  test("usage of a turn by day and model, and the quotas it counts against", async () => {
    await providers.putProvider({
      providerId: "mine",
      type: "openai-compatible",
      baseURL: mock.baseURLs.compatible,
      apiKey: "sk-mock-9f3a",
      models: ["m1"],
    })
    const options = { baseUrl: server.url, headers: server.headers }
    const project = await createClient(options).createProject({ name: "Usage" })
    const sessions = createSessionsClient(options)
    const session = await sessions.create(project.id, { model: "mine/m1" })
    mock.enqueue({
      type: "stream",
      blocks: [{ type: "text", chunks: ["Hi."] }],
      usage: { input: 1000, output: 100 },
    })
    await sessions.send(session.id, { text: "Hello" })

    const from = new Date(Date.now() - 86_400_000).toISOString()
    let report = await providers.usage({ from, groupBy: "model" })
    for (let attempt = 0; report.totals.calls === 0 && attempt < 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      report = await providers.usage({ from, groupBy: "model" })
    }
    assert.equal(report.totals.calls, 1)
    assert.equal(report.totals.inputTokens, 1000)
    assert.equal(report.totals.costUsd, 0.003)
    assert.deepEqual(
      report.groups.map((group) => [group.key, group.calls]),
      [["mine/m1", 1]],
    )
    const byDay = await providers.usage({ groupBy: "day" })
    assert.equal(byDay.groups[0]?.key, new Date().toISOString().slice(0, 10))
    const byProject = await providers.usage({ groupBy: "project", projectId: project.id })
    assert.deepEqual(
      byProject.groups.map((group) => group.key),
      [project.id],
    )

    const mine = await providers.myQuotas()
    assert.equal(mine.scope, "user")
    const daily = mine.quotas.find((quota) => quota.name === "modelUsdPerDay")
    assert.deepEqual([daily?.used, daily?.limit, daily?.unit], [0.003, 3, "usd"])
    const [team] = await providers.teams()
    assert.ok(team)
    assert.equal((await providers.teamQuotas(team.id)).scope, "team")
    // An administrator's override: a number sets a limit, null lifts one; {} goes back to the configuration.
    const changed = await providers.setTeamQuotas(team.id, { storageBytes: 2048, modelUsdPerMonth: null })
    const limitOf = (report: typeof changed, name: string) =>
      report.quotas.find((quota) => quota.name === name)?.limit
    assert.equal(limitOf(changed, "storageBytes"), 2048)
    assert.equal(limitOf(changed, "modelUsdPerMonth"), null)
    const configured = await providers.setTeamQuotas(team.id, {})
    assert.notEqual(limitOf(configured, "storageBytes"), 2048)
  })
})
