import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import {
  type Clock,
  createModelCatalog,
  createModelRouter,
  createProviderRegistry,
  createSdkModelPort,
  type RoutedPart,
  type RouterConfig,
  type UsageRecord,
} from "@xionimus/llm"
import { type MockProviderServer, type MockReply, startMockProvider } from "@xionimus/testing"

function fakeClock(): Clock & { sleeps: number[] } {
  let now = Date.parse("2026-11-22T10:00:00Z")
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    async sleep(ms) {
      sleeps.push(ms)
      now += ms
    },
  }
}

describe("model router against the mock provider", () => {
  let mock: MockProviderServer
  before(async () => {
    mock = await startMockProvider()
  })
  after(async () => {
    await mock.close()
  })

  async function route(replies: MockReply[], config: Partial<RouterConfig> = {}) {
    const registry = createProviderRegistry({
      providers: {
        openai: { type: "openai", api: "chat", baseURL: mock.baseURLs.openai, apiKey: "sk-router-test-key" },
        anthropic: { type: "anthropic", baseURL: mock.baseURLs.anthropic, apiKey: "sk-router-test-key" },
      },
    })
    const clock = fakeClock()
    const records: UsageRecord[] = []
    const router = createModelRouter({
      port: createSdkModelPort({ registry, idleTimeoutMs: 15_000 }),
      catalog: createModelCatalog(),
      clock,
      onCall: (record) => {
        records.push(record)
      },
      config: {
        default: "openai/gpt-4o",
        fallbacks: { "openai/gpt-4o": ["anthropic/claude-sonnet-4-5"] },
        retry: { attempts: 2, baseDelayMs: 100 },
        ...config,
      },
    })
    mock.enqueue(...replies)
    const first = mock.requests.length
    const parts: RoutedPart[] = []
    for await (const part of router.stream({
      messages: [{ role: "user", content: "hi" }],
      scope: { userId: "usr_1" },
    }))
      parts.push(part)
    assert.equal(mock.pending(), 0, "every scripted reply was used")
    return {
      parts,
      clock,
      records,
      models: mock.requests.slice(first).map((request) => `${request.format}:${request.model}`),
    }
  }

  const text: MockReply = {
    type: "stream",
    blocks: [{ type: "text", chunks: ["ok"] }],
    usage: { input: 1000, output: 100 },
  }

  for (const [name, failure] of [
    ["429", { type: "error", error: "rate_limit" }],
    ["529", { type: "error", error: "overloaded" }],
    ["transport", { type: "stream", blocks: [{ type: "text", chunks: ["a", "b"] }], disconnectAfter: 0 }],
  ] as [string, MockReply][]) {
    test(`falls back to the next model after retrying a ${name}`, async () => {
      const { parts, models } = await route([failure, failure, text])
      assert.deepEqual(models, ["openai-chat:gpt-4o", "openai-chat:gpt-4o", "anthropic:claude-sonnet-4-5"])
      assert.deepEqual(
        parts.map((part) => part.type),
        ["retry", "fallback", "text-delta", "finish"],
      )
    })
  }

  for (const [name, failure, reason] of [
    ["401", { type: "error", error: "auth" }, "auth"],
    ["400 context overflow", { type: "error", error: "context_overflow" }, "context_overflow"],
  ] as [string, MockReply, string][]) {
    test(`neither retries nor falls back on a ${name}`, async () => {
      const { parts, models, clock } = await route([failure])
      assert.deepEqual(models, ["openai-chat:gpt-4o"])
      assert.equal(parts.length, 1)
      assert.equal(parts[0]?.type === "error" && parts[0].error.reason, reason)
      assert.deepEqual(clock.sleeps, [])
    })
  }

  test("honours retry-after, else backs off exponentially", async () => {
    const { clock, parts } = await route(
      [
        { type: "error", error: "rate_limit", retryAfterSeconds: 7 },
        { type: "error", error: "internal" },
        { type: "error", error: "internal" },
        text,
      ],
      { retry: { attempts: 3, baseDelayMs: 100 } },
    )
    assert.deepEqual(clock.sleeps, [7000, 200])
    assert.equal(parts.at(-1)?.type, "finish")
  })

  test("a retry-after longer than the limit goes to the fallback at once", async () => {
    const { clock, models } = await route(
      [{ type: "error", error: "rate_limit", retryAfterSeconds: 600 }, text],
      {
        retry: { attempts: 3, maxRetryAfterMs: 60_000 },
      },
    )
    assert.deepEqual(clock.sleeps, [])
    assert.deepEqual(models, ["openai-chat:gpt-4o", "anthropic:claude-sonnet-4-5"])
  })

  test("does not repeat a call that failed after output streamed", async () => {
    const { parts, models } = await route([
      { type: "stream", blocks: [{ type: "text", chunks: ["a", "b", "c", "d"] }], disconnectAfter: 4 },
    ])
    assert.deepEqual(models, ["openai-chat:gpt-4o"])
    assert.equal(parts.at(-1)?.type, "error")
    assert.ok(parts.some((part) => part.type === "text-delta"))
  })

  test("records usage and cost per attempt, failures included", async () => {
    const { records, parts } = await route([{ type: "error", error: "overloaded" }, text], { fallbacks: {} })
    assert.equal(records.length, 2)
    assert.equal(records[0]?.outcome, "overloaded")
    assert.equal(records[0]?.costUsd, 0)
    assert.equal(records[1]?.outcome, "ok")
    assert.equal(records[1]?.userId, "usr_1")
    assert.equal(records[1]?.provider, "openai")
    assert.equal(records[1]?.model, "gpt-4o")
    // gpt-4o: $2.50 per million input, $10 per million output.
    assert.equal(records[1]?.costUsd, (1000 * 2.5 + 100 * 10) / 1_000_000)
    assert.equal(records[1]?.inputTokens, 1000)
    const finish = parts.at(-1)
    assert.equal(finish?.type === "finish" && finish.costUsd, records[1]?.costUsd)
  })

  test("chooses the request's model, then the role's, then the default", () => {
    const router = createModelRouter({
      port: { stream: async function* () {} },
      catalog: createModelCatalog(),
      config: { default: "openai/gpt-4o", roles: { reviewer: "anthropic/claude-sonnet-4-5" } },
    })
    assert.equal(router.choose({ model: "x/y", role: "reviewer" }), "x/y")
    assert.equal(router.choose({ role: "reviewer" }), "anthropic/claude-sonnet-4-5")
    assert.equal(router.choose({ role: "tester" }), "openai/gpt-4o")
    const empty = createModelRouter({
      port: { stream: async function* () {} },
      catalog: createModelCatalog(),
      config: {},
    })
    assert.throws(() => empty.choose({}), { code: "MODEL_NOT_FOUND" })
  })

  test("refuses images for a model the catalog knows has no vision, before calling", async () => {
    const requests = mock.requests.length
    const router = createModelRouter({
      port: { stream: async function* () {} },
      catalog: createModelCatalog(),
      config: { default: "deepseek/deepseek-chat" },
    })
    const parts: RoutedPart[] = []
    for await (const part of router.stream({
      messages: [
        {
          role: "user",
          content: [{ type: "image", image: new Uint8Array([1, 2, 3]), mediaType: "image/png" }],
        },
      ],
    }))
      parts.push(part)
    assert.equal(parts[0]?.type === "error" && parts[0].error.reason, "invalid_request")
    assert.match(parts[0]?.type === "error" ? parts[0].error.message : "", /cannot read images/)
    assert.equal(mock.requests.length, requests)
  })

  test("refuses a prompt larger than the window before calling", async () => {
    const requests = mock.requests.length
    const router = createModelRouter({
      port: createSdkModelPort({
        registry: createProviderRegistry({
          providers: { local: { type: "openai-compatible", baseURL: mock.baseURLs.compatible } },
        }),
      }),
      catalog: createModelCatalog({
        overrides: { "local/tiny": { contextWindow: 100, maxOutputTokens: 20 } },
      }),
      config: { default: "local/tiny" },
    })
    const parts: RoutedPart[] = []
    for await (const part of router.stream({ messages: [{ role: "user", content: "word ".repeat(200) }] }))
      parts.push(part)
    assert.equal(parts.length, 1)
    assert.equal(parts[0]?.type === "error" && parts[0].error.reason, "context_overflow")
    assert.equal(mock.requests.length, requests)
  })
})
