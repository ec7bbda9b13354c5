import assert from "node:assert/strict"
import { readFile, writeFile } from "node:fs/promises"
import { after, before, describe, test } from "node:test"
import {
  createProviderRegistry,
  createSdkModelPort,
  type ModelPart,
  type ModelRequest,
  ProvidersConfig,
} from "@xionimus/llm"
import { type MockProviderServer, startMockProvider } from "@xionimus/testing"
import { providerCases, scenarioCases } from "./conformance-cases.ts"

// Every provider × every scenario through the real SDK path against the mock server. The matrix of
// results is the block between the markers in docs/providers.md; run with UPDATE_DOCS=1 to rewrite it.

const docsPath = new URL("../../../docs/providers.md", import.meta.url)
const begin = "<!-- conformance-matrix:begin -->"
const end = "<!-- conformance-matrix:end -->"

describe("conformance matrix: every provider × every scenario", () => {
  let mock: MockProviderServer
  const cells = new Map<string, string>()

  before(async () => {
    mock = await startMockProvider()
  })
  after(async () => {
    await mock.close()
  })

  for (const provider of providerCases) {
    for (const scenario of scenarioCases) {
      test(`${provider.column}: ${scenario.row}`, async () => {
        const providers = ProvidersConfig.parse({ [provider.id]: provider.config(mock) })
        const port = createSdkModelPort({
          registry: createProviderRegistry({ providers }),
          // Generous, so a loaded machine cannot fire it by accident; tight only where the mock hangs.
          idleTimeoutMs: scenario.model === "hang" ? 400 : 15_000,
        })
        if (scenario.reply) mock.enqueue(scenario.reply)
        const controller = new AbortController()
        const base: ModelRequest = {
          model: `${provider.id}/${scenario.model}`,
          messages: [{ role: "user", content: "What is the weather in Paris?" }],
          tools: [
            {
              name: "get_weather",
              description: "The weather in a city",
              parameters: {
                type: "object",
                properties: { city: { type: "string" }, unit: { type: "string" } },
              },
            },
          ],
          maxOutputTokens: 1024,
          signal: controller.signal,
        }
        const parts: ModelPart[] = []
        for await (const part of port.stream(scenario.request ? scenario.request(base) : base)) {
          parts.push(part)
          if (parts.length === scenario.abortAfterParts) controller.abort()
        }
        assert.equal(mock.pending(), 0)
        cells.set(`${provider.id}|${scenario.row}`, scenario.check({ parts, mock }, provider))
      })
    }
  }

  test("docs/providers.md holds the current matrix", async () => {
    const header = `| scenario | ${providerCases.map((provider) => provider.column).join(" | ")} |`
    const rule = `|---|${providerCases.map(() => "---").join("|")}|`
    const rows = scenarioCases.map(
      (scenario) =>
        `| ${scenario.row} | ${providerCases.map((provider) => cells.get(`${provider.id}|${scenario.row}`) ?? "✗").join(" | ")} |`,
    )
    const matrix = [begin, header, rule, ...rows, end].join("\n")
    const docs = await readFile(docsPath, "utf8")
    const current = docs.slice(docs.indexOf(begin), docs.indexOf(end) + end.length)
    if (process.env.UPDATE_DOCS === "1") {
      await writeFile(docsPath, docs.replace(current, matrix))
      return
    }
    assert.equal(
      current,
      matrix,
      "the matrix in docs/providers.md is stale: run UPDATE_DOCS=1 node --test packages/llm/test/conformance.test.ts",
    )
  })
})
