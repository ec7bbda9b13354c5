import assert from "node:assert/strict"
import { test } from "node:test"
import { createTokenCounter, fitToWindow, type ModelMessage } from "@xionimus/llm"

const entry = {
  contextWindow: 200,
  maxOutputTokens: 50,
  prices: { input: 0, output: 0, cachedInput: 0 },
  capabilities: { tools: true, vision: false, reasoning: false },
  tokenizer: "estimate" as const,
}

test("drops the oldest turns, never a tool result without its call", async () => {
  const long = "x".repeat(300)
  const messages: ModelMessage[] = [
    { role: "user", content: long },
    { role: "assistant", content: [{ type: "tool-call", toolCallId: "c1", toolName: "read", input: {} }] },
    { role: "tool", content: [{ toolCallId: "c1", toolName: "read", output: long }] },
    { role: "user", content: "and now?" },
    { role: "assistant", content: "done" },
    { role: "user", content: "thanks" },
  ]
  const { request, dropped, budget } = await fitToWindow(
    { model: "lab/m", messages },
    entry,
    createTokenCounter(),
  )
  assert.equal(dropped, 3)
  assert.equal(request.messages[0]?.role, "user")
  assert.equal(budget.fits, true)
})

test("refuses with context_overflow when the last user message alone is too long", async () => {
  await assert.rejects(
    fitToWindow(
      { model: "lab/m", messages: [{ role: "user", content: "x".repeat(1000) }] },
      entry,
      createTokenCounter(),
    ),
    (error: { code?: string; details?: { reason?: string } }) =>
      error.code === "MODEL_CALL_FAILED" && error.details?.reason === "context_overflow",
  )
})
