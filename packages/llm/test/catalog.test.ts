import assert from "node:assert/strict"
import { test } from "node:test"
import {
  catalogCompiled,
  costOf,
  createModelCatalog,
  createTokenCounter,
  estimateTokens,
  measureContext,
  unknownModelDefaults,
} from "@xionimus/llm"

test("known models are found under any provider id, dated snapshots and tags included", () => {
  const catalog = createModelCatalog()
  assert.equal(catalog.lookup("openai/gpt-4o").entry.contextWindow, 128_000)
  assert.equal(catalog.lookup("openrouter/openai/gpt-4o").source, "catalog")
  assert.equal(catalog.lookup("azure/gpt-4o-2024-08-06").entry.prices.input, 2.5)
  assert.equal(catalog.lookup("ollama/llama3.2:latest").entry.prices.input, 0)
  assert.match(catalogCompiled, /^\d{4}-\d{2}-\d{2}$/)
})

test("unknown models get conservative defaults and one warning each", () => {
  const warnings: string[] = []
  const catalog = createModelCatalog({ onUnknown: (name) => warnings.push(name) })
  const lookup = catalog.lookup("lab/mystery-1")
  assert.deepEqual(lookup.entry, unknownModelDefaults)
  assert.equal(lookup.source, "defaults")
  assert.match(lookup.warning ?? "", /does not know lab\/mystery-1/)
  catalog.lookup("lab/mystery-1")
  assert.deepEqual(warnings, ["lab/mystery-1"])
})

test("user overrides win field by field", () => {
  const catalog = createModelCatalog({
    overrides: { "openai/gpt-4o": { prices: { input: 1 } }, "lab/mystery-1": { contextWindow: 32_000 } },
  })
  const gpt = catalog.lookup("openai/gpt-4o")
  assert.equal(gpt.source, "override")
  assert.deepEqual(gpt.entry.prices, { input: 1, output: 10, cachedInput: 1.25 })
  assert.equal(catalog.lookup("lab/mystery-1").entry.contextWindow, 32_000)
})

test("cost: cached input at the cached price, output includes reasoning", () => {
  const prices = { input: 3, output: 15, cachedInput: 0.3 }
  const cost = costOf(
    { inputTokens: 10_000, cachedInputTokens: 4_000, outputTokens: 2_000, reasoningTokens: 500 },
    prices,
  )
  assert.equal(cost, (6_000 * 3 + 4_000 * 0.3 + 2_000 * 15) / 1_000_000)
})

test("token counting: exact for OpenAI families, a documented over-estimate otherwise", async () => {
  const counter = createTokenCounter()
  assert.equal(await counter.countText("Hello, world!", "o200k"), 4)
  assert.equal(await counter.countText("Hello, world!", "cl100k"), 4)
  assert.equal(await counter.countText("Hello, world!", "estimate"), estimateTokens("Hello, world!"))
  assert.equal(estimateTokens("abcdef"), 2)
})

test("the context budget tells the agent how much room is left", async () => {
  const entry = createModelCatalog().lookup("openai/gpt-4o").entry
  const budget = await measureContext(
    { model: "openai/gpt-4o", messages: [{ role: "user", content: "Hello, world!" }], maxOutputTokens: 1000 },
    entry,
    createTokenCounter(),
  )
  assert.equal(budget.promptTokens, 4 + 4)
  assert.equal(budget.reservedForOutput, 1000)
  assert.equal(budget.remaining, 128_000 - 1000 - 8)
  assert.equal(budget.fits, true)
})
