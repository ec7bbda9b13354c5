import assert from "node:assert/strict"
import type { ModelPart, ModelRequest } from "@xionimus/llm"
import type { MockProviderServer, MockReply } from "@xionimus/testing"

export const testKey = "sk-conformance-secret-key-9f3a"

/** One column of the matrix: a provider configuration pointed at the mock server. */
export interface ProviderCase {
  column: string
  id: string
  config(mock: MockProviderServer): Record<string, unknown>
  /** Tool-call arguments arrive whole (as an object), so they cannot be split or malformed. */
  wholeArguments?: boolean
  /** The API streams no reasoning text (only a token count). */
  noReasoningText?: boolean
  /** The API reports no reasoning token count. */
  noReasoningTokens?: boolean
}

export const providerCases: ProviderCase[] = [
  {
    column: "OpenAI Chat Completions",
    id: "openai",
    config: (mock) => ({ type: "openai", api: "chat", baseURL: mock.baseURLs.openai, apiKey: testKey }),
    noReasoningText: true,
  },
  {
    column: "OpenAI Responses",
    id: "responses",
    config: (mock) => ({ type: "openai", baseURL: mock.baseURLs.openai, apiKey: testKey }),
  },
  {
    column: "Anthropic Messages",
    id: "anthropic",
    config: (mock) => ({ type: "anthropic", baseURL: mock.baseURLs.anthropic, apiKey: testKey }),
    noReasoningTokens: true,
  },
  {
    column: "Google Gemini",
    id: "google",
    config: (mock) => ({ type: "google", baseURL: mock.baseURLs.google, apiKey: testKey }),
    wholeArguments: true,
  },
  {
    column: "Ollama",
    id: "ollama",
    config: (mock) => ({ type: "ollama", baseURL: mock.baseURLs.ollamaNative }),
  },
  {
    column: "OpenAI-compatible (preset)",
    id: "groq",
    config: (mock) => ({
      type: "openai-compatible",
      preset: "groq",
      baseURL: mock.baseURLs.compatible,
      apiKey: testKey,
    }),
  },
]

export interface RunResult {
  parts: ModelPart[]
  mock: MockProviderServer
}

/** One row of the matrix: what to send and what every provider must answer; returns the cell text. */
export interface ScenarioCase {
  row: string
  /** The mock scenario (model id), or a reply to enqueue. */
  model: string
  reply?: MockReply
  request?: (request: ModelRequest) => ModelRequest
  /** Abort the call once this many parts arrived. */
  abortAfterParts?: number
  check(result: RunResult, provider: ProviderCase): string
}

const text = (parts: ModelPart[], type: "text-delta" | "reasoning-delta") =>
  parts
    .filter((part) => part.type === type)
    .map((part) => (part as { text: string }).text)
    .join("")

const last = (parts: ModelPart[]) => parts.at(-1)

function finish(parts: ModelPart[]) {
  const end = last(parts)
  assert.equal(end?.type, "finish", `expected a finish part, got ${JSON.stringify(end)}`)
  return end as Extract<ModelPart, { type: "finish" }>
}

function failure(parts: ModelPart[]) {
  const end = last(parts)
  assert.equal(end?.type, "error", `expected an error part, got ${JSON.stringify(end)}`)
  return (end as Extract<ModelPart, { type: "error" }>).error
}

function toolCalls(parts: ModelPart[]) {
  return parts.filter((part) => part.type === "tool-call") as Extract<ModelPart, { type: "tool-call" }>[]
}

function errorCase(row: string, model: string, reason: string, retryAfterMs?: number): ScenarioCase {
  return {
    row,
    model,
    check({ parts }, provider) {
      const error = failure(parts)
      assert.equal(error.reason, reason)
      assert.equal(error.code, "MODEL_CALL_FAILED")
      assert.match(error.message, new RegExp(`${provider.id} \\(model ${model}\\)`))
      assert.ok(!JSON.stringify(error).includes(testKey), "the key leaked into the error")
      if (retryAfterMs !== undefined && error.retryAfterMs !== undefined)
        assert.equal(error.retryAfterMs, retryAfterMs)
      const wait = error.retryAfterMs === undefined ? "" : `, retry after ${error.retryAfterMs / 1000} s`
      return `✓ ${reason}${error.retryable ? " (retryable" : " (final"}${wait})`
    },
  }
}

const pixel = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82])

export const scenarioCases: ScenarioCase[] = [
  {
    row: "text stream + usage",
    model: "text",
    check({ parts }) {
      assert.equal(text(parts, "text-delta"), "Hello, world!")
      const end = finish(parts)
      assert.equal(end.reason, "stop")
      assert.deepEqual(end.usage, {
        inputTokens: 21,
        outputTokens: 4,
        cachedInputTokens: 5,
        reasoningTokens: 0,
      })
      return `✓ ${parts.filter((part) => part.type === "text-delta").length} deltas, usage in/out/cached`
    },
  },
  {
    row: "tool call, arguments split over 7 chunks",
    model: "tool-call",
    check({ parts }, provider) {
      const [call] = toolCalls(parts)
      assert.deepEqual(call?.input, { city: "Paris", unit: "c" })
      assert.equal(call?.toolName, "get_weather")
      assert.equal(finish(parts).reason, "tool-calls")
      const deltas = parts.filter((part) => part.type === "tool-input-delta").length
      assert.ok(parts.some((part) => part.type === "tool-input-start"))
      if (!provider.wholeArguments) assert.equal(deltas, 7)
      return provider.wholeArguments ? "✓ (arguments arrive whole: 1 delta)" : `✓ ${deltas} input deltas`
    },
  },
  {
    row: "parallel tool calls",
    model: "parallel-tool-calls",
    check({ parts }) {
      const calls = toolCalls(parts)
      assert.deepEqual(
        calls.map((call) => call.input),
        [{ city: "Paris" }, { city: "Oslo" }],
      )
      assert.equal(new Set(calls.map((call) => call.toolCallId)).size, 2)
      return "✓ 2 calls"
    },
  },
  {
    row: "malformed tool-call JSON (trailing comma)",
    model: "repair",
    reply: {
      type: "stream",
      blocks: [
        {
          type: "tool-call",
          id: "call_fix",
          name: "get_weather",
          argumentChunks: ['{"city": "Paris",', " }"],
        },
      ],
    },
    check({ parts }, provider) {
      if (provider.wholeArguments) return "n/a (arguments arrive as an object)"
      const [call] = toolCalls(parts)
      assert.deepEqual(call?.input, { city: "Paris" })
      assert.equal(call?.invalid, undefined)
      return "✓ repaired"
    },
  },
  {
    row: "reasoning",
    model: "reasoning",
    check({ parts }, provider) {
      assert.equal(text(parts, "text-delta"), "The answer is 42.")
      const usage = finish(parts).usage
      if (!provider.noReasoningText) assert.equal(text(parts, "reasoning-delta"), "Let me think about this.")
      if (!provider.noReasoningTokens) assert.equal(usage.reasoningTokens, 38)
      if (provider.noReasoningText) return "✓ token count only (the API streams no reasoning text)"
      if (provider.noReasoningTokens) return "✓ text (the API reports no reasoning token count)"
      return "✓ text + token count"
    },
  },
  {
    row: "image in input",
    model: "text",
    request: (request) => ({
      ...request,
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "What is in this picture?" },
            { type: "image", image: pixel, mediaType: "image/png" },
          ],
        },
      ],
    }),
    check({ parts, mock }) {
      finish(parts)
      const sent = JSON.stringify(mock.requests.at(-1)?.body)
      assert.ok(sent.includes(Buffer.from(pixel).toString("base64")), "the image bytes were not sent")
      return "✓ sent as base64"
    },
  },
  errorCase("429 with retry-after", "rate-limit", "rate_limit", 7000),
  {
    row: "out of quota / credit",
    model: "quota",
    check({ parts }, provider) {
      const error = failure(parts)
      assert.ok(!JSON.stringify(error).includes(testKey), "the key leaked into the error")
      if (provider.id === "google") {
        // Gemini answers an exhausted quota exactly like a rate limit.
        assert.equal(error.reason, "rate_limit")
        return "rate_limit (Gemini answers quota like a rate limit)"
      }
      assert.equal(error.reason, "quota")
      assert.equal(error.retryable, false)
      return "✓ quota (final)"
    },
  },
  errorCase("401 bad key", "auth", "auth"),
  errorCase("400 context length exceeded", "context-overflow", "context_overflow"),
  errorCase("500 internal error", "internal", "provider_internal"),
  errorCase("529/503 overloaded", "overloaded", "overloaded", 2000),
  {
    row: "disconnect mid-stream",
    model: "disconnect",
    check({ parts }) {
      const error = failure(parts)
      assert.equal(error.reason, "transport")
      assert.equal(error.retryable, true)
      return "✓ transport (retryable)"
    },
  },
  {
    row: "error event mid-stream (overloaded)",
    model: "stream-error",
    check({ parts }) {
      const error = failure(parts)
      assert.equal(error.reason, "overloaded")
      assert.equal(error.retryable, true)
      return "✓ overloaded (retryable)"
    },
  },
  {
    row: "slow stream",
    model: "slow",
    check({ parts }) {
      assert.equal(text(parts, "text-delta"), "slow but complete")
      finish(parts)
      return "✓ complete"
    },
  },
  {
    row: "hang (client idle timeout fires)",
    model: "hang",
    check({ parts }) {
      const error = failure(parts)
      assert.equal(error.reason, "transport")
      assert.match(error.message, /timeout fired/)
      return "✓ transport (timeout)"
    },
  },
  {
    row: "abort mid-stream",
    model: "slow",
    abortAfterParts: 1,
    check({ parts }) {
      assert.equal(failure(parts).reason, "aborted")
      return "✓ aborted"
    },
  },
]
