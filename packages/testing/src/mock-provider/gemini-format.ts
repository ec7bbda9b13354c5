import { type MockErrorKind, type MockStreamReply, usageOf } from "./mock-reply.ts"
import { sse, type WireFormat } from "./wire-format.ts"

// models/{model}:streamGenerateContent?alt=sse, as in the API reference: every `data:` line is a whole
// GenerateContentResponse; thoughts are text parts with `thought: true`; a function call arrives whole
// in one part (Gemini does not split arguments) and the finish reason stays STOP; the last chunk has finishReason and usageMetadata.
// Errors are google.rpc.Status; a 429 carries its delay as RetryInfo.retryDelay, not as a header.

function geminiEvents(reply: MockStreamReply, model: string): string[] {
  const events: string[] = []
  const candidate = (parts: unknown[]) =>
    sse({ candidates: [{ content: { parts, role: "model" }, index: 0 }], modelVersion: model })
  for (const block of reply.blocks) {
    if (block.type === "text") for (const text of block.chunks) events.push(candidate([{ text }]))
    else if (block.type === "reasoning")
      for (const text of block.chunks) events.push(candidate([{ text, thought: true }]))
    else
      events.push(
        candidate([{ functionCall: { name: block.name, args: JSON.parse(block.argumentChunks.join("")) } }]),
      )
  }
  const usage = usageOf(reply)
  events.push(
    sse({
      candidates: [
        {
          content: { parts: [{ text: "" }], role: "model" },
          finishReason: "STOP",
          index: 0,
        },
      ],
      usageMetadata: {
        promptTokenCount: usage.input,
        candidatesTokenCount: usage.output - usage.reasoning,
        totalTokenCount: usage.input + usage.output,
        cachedContentTokenCount: usage.cached,
        thoughtsTokenCount: usage.reasoning,
      },
      modelVersion: model,
      responseId: "mock-response-1",
    }),
  )
  return events
}

const errors: Record<
  MockErrorKind,
  { status: number; state: string; message: string; details?: (seconds?: number) => unknown[] }
> = {
  rate_limit: {
    status: 429,
    state: "RESOURCE_EXHAUSTED",
    message:
      "You exceeded your current quota, please check your plan and billing details. Please retry in 7s.",
    details: (seconds) => [
      { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${seconds ?? 7}s` },
    ],
  },
  // Gemini answers an exhausted quota like a rate limit (429 RESOURCE_EXHAUSTED), with QuotaFailure details.
  quota: {
    status: 429,
    state: "RESOURCE_EXHAUSTED",
    message: "You exceeded your current quota, please check your plan and billing details.",
    details: () => [
      {
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        violations: [
          { quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests" },
        ],
      },
    ],
  },
  // Gemini answers a wrong key with 400, not 401; the reason sits in ErrorInfo.
  auth: {
    status: 400,
    state: "INVALID_ARGUMENT",
    message: "API key not valid. Please pass a valid API key.",
    details: () => [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        reason: "API_KEY_INVALID",
        domain: "googleapis.com",
        metadata: { service: "generativelanguage.googleapis.com" },
      },
    ],
  },
  context_overflow: {
    status: 400,
    state: "INVALID_ARGUMENT",
    message: "The input token count (1189200) exceeds the maximum number of tokens allowed (1048576).",
  },
  internal: {
    status: 500,
    state: "INTERNAL",
    message:
      "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting",
  },
  overloaded: {
    status: 503,
    state: "UNAVAILABLE",
    message: "The model is overloaded. Please try again later.",
  },
}

export const geminiFormat: WireFormat = {
  contentType: "text/event-stream",
  stream: geminiEvents,
  streamError(kind) {
    const error = errors[kind]
    return sse({ error: { code: error.status, message: error.message, status: error.state } })
  },
  error(kind, retryAfterSeconds) {
    const error = errors[kind]
    const details = error.details?.(retryAfterSeconds)
    return {
      status: error.status,
      headers: {},
      body: {
        error: {
          code: error.status,
          message: error.message,
          status: error.state,
          ...(details ? { details } : {}),
        },
      },
    }
  },
}
