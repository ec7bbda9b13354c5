import { endsWithToolCalls, type MockErrorKind, type MockStreamReply, usageOf } from "./mock-reply.ts"
import { retryHeaders, sse, type WireFormat } from "./wire-format.ts"

// Messages streaming, as in the API reference ("Streaming Messages"): message_start with the input
// usage, one content block per text/thinking/tool_use with *_delta events (tool input as
// `input_json_delta` fragments), a `ping`, message_delta with stop_reason and output usage,
// message_stop. Errors are {"type":"error","error":{"type","message"}}; 529 is overloaded_error.

function anthropicEvents(reply: MockStreamReply, model: string): string[] {
  const usage = usageOf(reply)
  const events = [
    sse(
      {
        type: "message_start",
        message: {
          id: "msg_mock1",
          type: "message",
          role: "assistant",
          content: [],
          model,
          stop_reason: null,
          stop_sequence: null,
          usage: {
            input_tokens: usage.input - usage.cached,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: usage.cached,
            output_tokens: 1,
          },
        },
      },
      "message_start",
    ),
    sse({ type: "ping" }, "ping"),
  ]
  reply.blocks.forEach((block, index) => {
    const delta = (payload: Record<string, unknown>) =>
      events.push(sse({ type: "content_block_delta", index, delta: payload }, "content_block_delta"))
    const start = (contentBlock: Record<string, unknown>) =>
      events.push(
        sse({ type: "content_block_start", index, content_block: contentBlock }, "content_block_start"),
      )
    if (block.type === "text") {
      start({ type: "text", text: "" })
      for (const text of block.chunks) delta({ type: "text_delta", text })
    } else if (block.type === "reasoning") {
      start({ type: "thinking", thinking: "", signature: "" })
      for (const thinking of block.chunks) delta({ type: "thinking_delta", thinking })
      delta({ type: "signature_delta", signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds" })
    } else {
      start({ type: "tool_use", id: block.id.replace(/^call_/, "toolu_"), name: block.name, input: {} })
      for (const partial_json of block.argumentChunks) delta({ type: "input_json_delta", partial_json })
    }
    events.push(sse({ type: "content_block_stop", index }, "content_block_stop"))
  })
  events.push(
    sse(
      {
        type: "message_delta",
        delta: { stop_reason: endsWithToolCalls(reply) ? "tool_use" : "end_turn", stop_sequence: null },
        usage: { output_tokens: usage.output },
      },
      "message_delta",
    ),
  )
  events.push(sse({ type: "message_stop" }, "message_stop"))
  return events
}

const errors: Record<MockErrorKind, { status: number; type: string; message: string }> = {
  rate_limit: {
    status: 429,
    type: "rate_limit_error",
    message:
      "This request would exceed the rate limit for your organization of 50 requests per minute. Please reduce the prompt length or the maximum tokens requested, or try again later.",
  },
  quota: {
    status: 400,
    type: "invalid_request_error",
    message:
      "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
  },
  auth: { status: 401, type: "authentication_error", message: "invalid x-api-key" },
  context_overflow: {
    status: 400,
    type: "invalid_request_error",
    message: "prompt is too long: 208321 tokens > 200000 maximum",
  },
  internal: { status: 500, type: "api_error", message: "Internal server error" },
  overloaded: { status: 529, type: "overloaded_error", message: "Overloaded" },
}

export const anthropicFormat: WireFormat = {
  contentType: "text/event-stream",
  stream: anthropicEvents,
  // Messages streaming sends `event: error` (overloaded_error is the common one mid-stream).
  streamError(kind) {
    const error = errors[kind]
    return sse({ type: "error", error: { type: error.type, message: error.message } }, "error")
  },
  error(kind, retryAfterSeconds) {
    const error = errors[kind]
    return {
      status: error.status,
      headers: { ...retryHeaders(retryAfterSeconds), "request-id": "req_mock1" },
      body: { type: "error", error: { type: error.type, message: error.message } },
    }
  },
}
