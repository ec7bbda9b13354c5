import { endsWithToolCalls, type MockErrorKind, type MockStreamReply, usageOf } from "./mock-reply.ts"
import { retryHeaders, sse, type WireFormat } from "./wire-format.ts"

// Chat Completions streaming, as in the API reference ("The chat completion chunk object"): every
// chunk repeats id/object/created/model; tool-call arguments arrive as string fragments keyed by
// `index`; with stream_options.include_usage a last chunk has empty `choices` and the usage.
// `reasoning_content` is the field DeepSeek, vLLM and Ollama's compatible endpoint use for thinking.

function chunk(model: string, delta: Record<string, unknown>, finishReason: string | null = null) {
  return {
    id: "chatcmpl-mock1",
    object: "chat.completion.chunk",
    created: 1_763_769_600,
    model,
    system_fingerprint: "fp_mock",
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  }
}

export function openAIChatEvents(reply: MockStreamReply, model: string, reasoningField: string): string[] {
  const events = [sse(chunk(model, { role: "assistant", content: "" }))]
  let toolIndex = 0
  for (const block of reply.blocks) {
    if (block.type === "text") {
      for (const text of block.chunks) events.push(sse(chunk(model, { content: text })))
    } else if (block.type === "reasoning") {
      for (const text of block.chunks) events.push(sse(chunk(model, { [reasoningField]: text })))
    } else {
      const index = toolIndex++
      events.push(
        sse(
          chunk(model, {
            tool_calls: [
              { index, id: block.id, type: "function", function: { name: block.name, arguments: "" } },
            ],
          }),
        ),
      )
      for (const part of block.argumentChunks) {
        events.push(sse(chunk(model, { tool_calls: [{ index, function: { arguments: part } }] })))
      }
    }
  }
  events.push(sse(chunk(model, {}, endsWithToolCalls(reply) ? "tool_calls" : "stop")))
  const usage = usageOf(reply)
  events.push(
    sse({
      ...chunk(model, {}),
      choices: [],
      usage: {
        prompt_tokens: usage.input,
        completion_tokens: usage.output,
        total_tokens: usage.input + usage.output,
        prompt_tokens_details: { cached_tokens: usage.cached, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: usage.reasoning, audio_tokens: 0 },
      },
    }),
  )
  events.push(sse("[DONE]"))
  return events
}

const errors: Record<MockErrorKind, { status: number; type: string; code: string | null; message: string }> =
  {
    rate_limit: {
      status: 429,
      type: "requests",
      code: "rate_limit_exceeded",
      message:
        "Rate limit reached for gpt-4o in organization org-mock on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 7s.",
    },
    quota: {
      status: 429,
      type: "insufficient_quota",
      code: "insufficient_quota",
      message:
        "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
    },
    auth: {
      status: 401,
      type: "invalid_request_error",
      code: "invalid_api_key",
      message:
        "Incorrect API key provided: sk-mock***abcd. You can find your API key at https://platform.openai.com/account/api-keys.",
    },
    context_overflow: {
      status: 400,
      type: "invalid_request_error",
      code: "context_length_exceeded",
      message:
        "This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens. Please reduce the length of the messages.",
    },
    internal: {
      status: 500,
      type: "server_error",
      code: null,
      message: "The server had an error while processing your request. Sorry about that!",
    },
    overloaded: {
      status: 503,
      type: "server_error",
      code: null,
      message: "The engine is currently overloaded, please try again later.",
    },
  }

export function openAIError(kind: MockErrorKind, retryAfterSeconds: number | undefined) {
  const error = errors[kind]
  const headers = retryHeaders(retryAfterSeconds)
  if (retryAfterSeconds !== undefined) headers["retry-after-ms"] = String(retryAfterSeconds * 1000)
  return {
    status: error.status,
    headers,
    body: { error: { message: error.message, type: error.type, param: null, code: error.code } },
  }
}

/** Chat Completions sends a failure inside the stream as a data line holding only `error`. */
export function openAIStreamError(kind: MockErrorKind): string {
  return sse({ error: (openAIError(kind, undefined).body as { error: unknown }).error })
}

export const openAIChatFormat: WireFormat = {
  contentType: "text/event-stream",
  stream: (reply, model) => openAIChatEvents(reply, model, "reasoning_content"),
  error: openAIError,
  streamError: openAIStreamError,
}
