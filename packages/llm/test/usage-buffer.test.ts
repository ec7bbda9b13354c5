import assert from "node:assert/strict"
import { test } from "node:test"
import { createUsageBuffer, type UsageRecord } from "@xionimus/llm"

const record = (index: number): UsageRecord => ({
  time: "2026-11-22T10:00:00.000Z",
  provider: "openai",
  model: `m${index}`,
  inputTokens: 1,
  outputTokens: 1,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  costUsd: 0,
  latencyMs: 1,
  outcome: "ok",
})

test("a full batch is written on the next turn, in one write", async () => {
  const batches: UsageRecord[][] = []
  const buffer = createUsageBuffer({ write: async (records) => void batches.push(records), maxBatch: 3 })
  for (let index = 0; index < 3; index++) buffer.record(record(index))
  assert.equal(batches.length, 0, "recording never writes inline")
  await new Promise((resolve) => setImmediate(resolve))
  await buffer.flush()
  assert.deepEqual(
    batches.map((batch) => batch.length),
    [3],
  )
})

test("close writes what is left; a failed write is logged, not thrown", async () => {
  const batches: UsageRecord[][] = []
  let fail = true
  const errors: unknown[] = []
  const logger = { error: (fields: unknown) => errors.push(fields) } as never
  const buffer = createUsageBuffer({
    write: async (records) => {
      if (fail) throw new Error("disk full")
      batches.push(records)
    },
    maxDelayMs: 60_000,
    logger,
  })
  buffer.record(record(1))
  await buffer.flush()
  assert.equal(errors.length, 1)
  fail = false
  buffer.record(record(2))
  await buffer.close()
  assert.deepEqual(
    batches.map((batch) => batch.map((row) => row.model)),
    [["m2"]],
  )
})
