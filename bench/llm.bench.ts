// The model port's streaming overhead against calling the AI SDK directly (same mock server, same
// run, alternating rounds), and the router's per-call cost (model choice, window check, cost
// accounting and a usage row in SQLite). Run alone: `node bench/llm.bench.ts` prints JSON.
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createOpenAI } from "@ai-sdk/openai"
import {
  createModelCatalog,
  createModelRouter,
  createProviderRegistry,
  createSdkModelPort,
  createUsageBuffer,
  type ModelPort,
} from "@xionimus/llm"
import { openStore } from "@xionimus/store"
import { startMockProvider } from "@xionimus/testing"
import { streamText } from "ai"
import type { Bench, BenchFigure } from "./lib.ts"

const chunks = 2_000
const rounds = 20
const routerCalls = 2_000

interface Run {
  firstPartMs: number
  totalMs: number
  gaps: number[]
}

async function measureStream(
  parts: AsyncIterable<unknown>,
  isContent: (part: unknown) => boolean,
): Promise<Run> {
  const start = performance.now()
  let first = 0
  let last = 0
  let count = 0
  const gaps: number[] = []
  for await (const part of parts) {
    if (!isContent(part)) continue
    const now = performance.now()
    if (count === 0) first = now - start
    else gaps.push(now - last)
    last = now
    count++
  }
  if (count !== chunks) throw new Error(`expected ${chunks} text parts, got ${count}`)
  return { firstPartMs: first, totalMs: performance.now() - start, gaps }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
}

async function streamingOverhead(): Promise<BenchFigure[]> {
  const mock = await startMockProvider()
  const reply = {
    type: "stream" as const,
    blocks: [{ type: "text" as const, chunks: Array.from({ length: chunks }, (_, index) => `w${index} `) }],
  }
  try {
    const openai = createOpenAI({ baseURL: mock.baseURLs.openai, apiKey: "bench" })
    const port: ModelPort = createSdkModelPort({
      registry: createProviderRegistry({
        providers: {
          openai: { type: "openai", api: "chat", baseURL: mock.baseURLs.openai, apiKey: "bench" },
        },
      }),
    })
    const direct = () => {
      mock.enqueue(reply)
      const result = streamText({
        model: openai.chat("gpt-4o"),
        prompt: "bench",
        maxRetries: 0,
        onError: () => {},
      })
      return measureStream(result.fullStream, (part) => (part as { type: string }).type === "text-delta")
    }
    const ours = () => {
      mock.enqueue(reply)
      return measureStream(
        port.stream({ model: "openai/gpt-4o", messages: [{ role: "user", content: "bench" }] }),
        (part) => (part as { type: string }).type === "text-delta",
      )
    }
    await direct() // warm-up: JIT, connection pool
    await ours()
    const directRuns: Run[] = []
    const ourRuns: Run[] = []
    for (let round = 0; round < rounds; round++) {
      directRuns.push(await direct())
      ourRuns.push(await ours())
    }
    const rate = (runs: Run[]) => median(runs.map((run) => (chunks / run.totalMs) * 1000))
    const directRate = rate(directRuns)
    const ourRate = rate(ourRuns)
    // Rounds alternate, so each pair ran under the same machine load: the median of the pairs' ratios
    // is steadier on a shared machine than the ratio of the two medians.
    const pairedRatio = median(
      directRuns.map((run, index) => run.totalMs / (ourRuns[index]?.totalMs ?? run.totalMs)),
    )
    const gapP50 = (runs: Run[]) => median(runs.map((run) => median(run.gaps)))
    const note = `${chunks} text chunks over HTTP from the mock (OpenAI chat SSE), median of ${rounds} alternating rounds`
    return [
      {
        name: "time to first text part",
        variant: "AI SDK streamText directly",
        value: median(directRuns.map((run) => run.firstPartMs)),
        unit: "ms",
        note,
      },
      {
        name: "time to first text part",
        variant: "our model port",
        value: median(ourRuns.map((run) => run.firstPartMs)),
        unit: "ms",
        note,
      },
      {
        name: "text parts per second",
        variant: "AI SDK streamText directly",
        value: directRate,
        unit: "parts/s",
        note,
      },
      {
        name: "text parts per second",
        variant: "our model port",
        value: ourRate,
        unit: "parts/s",
        note: `throughput ratio to direct, median of paired rounds: ${pairedRatio.toFixed(3)} (target ≥ 0.95)`,
      },
      {
        name: "added latency per part, p50",
        variant: "our model port − direct",
        value: (gapP50(ourRuns) - gapP50(directRuns)) * 1000,
        unit: "µs",
        note: "difference of the median gaps between consecutive text parts (target < 200 µs)",
      },
    ]
  } finally {
    await mock.close()
  }
}

async function routerCost(): Promise<BenchFigure[]> {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-bench-llm-"))
  const store = await openStore({ sqlitePath: join(directory, "xionimus.sqlite") })
  try {
    // A port with no I/O: what is measured is the router, the token count, the cost and the usage row.
    const port: ModelPort = {
      async *stream(request) {
        yield { type: "text-delta", text: "ok" }
        yield {
          type: "finish",
          reason: "stop",
          usage: { inputTokens: 1200, outputTokens: 80, cachedInputTokens: 300, reasoningTokens: 0 },
          model: request.model,
        }
      },
    }
    const buffer = createUsageBuffer({ write: (records) => store.usage.recordMany(records) })
    const measure = async (onCall: boolean) => {
      const router = createModelRouter({
        port,
        catalog: createModelCatalog(),
        config: { default: "anthropic/claude-sonnet-4-5", fallbacks: { "*": ["openai/gpt-4o"] } },
        ...(onCall ? { onCall: (record) => buffer.record(record) } : {}),
      })
      const durations: number[] = []
      for (let call = 0; call < routerCalls + 200; call++) {
        const start = performance.now()
        for await (const part of router.stream({
          messages: [{ role: "user", content: "Refactor the parser so that it streams." }],
          scope: { userId: "usr_bench", projectId: "prj_bench", sessionId: "ses_bench" },
        }))
          void part
        if (call >= 200) durations.push(performance.now() - start)
        // A real call waits for the network; this turn of the event loop is where queued rows are written.
        await new Promise((resolve) => setImmediate(resolve))
      }
      return durations
    }
    const bare = await measure(false)
    const accounted = await measure(true)
    await buffer.close()
    const written = await store.usage.totals({ userId: "usr_bench" })
    if (written.calls !== routerCalls + 200) throw new Error(`${written.calls} usage rows written`)
    // The write itself, amortised: batches of 100 rows as the buffer sends them.
    const batch = Array.from({ length: 100 }, () => ({
      time: new Date().toISOString(),
      provider: "anthropic",
      model: "claude-sonnet-4-5",
      inputTokens: 1200,
      outputTokens: 80,
      cachedInputTokens: 300,
      reasoningTokens: 0,
      costUsd: 0.0046,
      latencyMs: 900,
      outcome: "ok" as const,
    }))
    const writes: number[] = []
    for (let round = 0; round < 50; round++) {
      const start = performance.now()
      await store.usage.recordMany(batch)
      writes.push((performance.now() - start) / batch.length)
    }
    const note = `${routerCalls} calls after 200 warm-up, a port with no I/O, SQLite file in a temp dir`
    return [
      {
        name: "router call (choice, window check, parts)",
        variant: "p50",
        value: percentile(bare, 0.5) * 1000,
        unit: "µs",
        note,
      },
      {
        name: "router call (choice, window check, parts)",
        variant: "p99",
        value: percentile(bare, 0.99) * 1000,
        unit: "µs",
        note,
      },
      {
        name: "router call + cost accounting (row queued)",
        variant: "p50",
        value: percentile(accounted, 0.5) * 1000,
        unit: "µs",
        note,
      },
      {
        name: "router call + cost accounting (row queued)",
        variant: "p99",
        value: percentile(accounted, 0.99) * 1000,
        unit: "µs",
        note: `${note}; rows written between calls in batches; target < 1 ms p99`,
      },
      {
        name: "usage row write, batches of 100 (SQLite)",
        variant: "per row, p50",
        value: percentile(writes, 0.5) * 1000,
        unit: "µs",
        note: `50 batches; p99 per row ${(percentile(writes, 0.99) * 1000).toFixed(1)} µs`,
      },
    ]
  } finally {
    await store.close()
    await rm(directory, { recursive: true, force: true })
  }
}

const bench: Bench = {
  title: "Model port and router",
  command: "node bench/llm.bench.ts",
  async run() {
    return [...(await streamingOverhead()), ...(await routerCost())]
  },
}

export default bench

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await bench.run(), null, 2))
