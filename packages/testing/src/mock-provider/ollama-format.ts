import type { MockErrorKind, MockStreamReply } from "./mock-reply.ts"
import { usageOf } from "./mock-reply.ts"
import { openAIChatEvents, openAIError, openAIStreamError } from "./openai-chat-format.ts"
import { retryHeaders, type WireFormat } from "./wire-format.ts"

// Ollama serves two APIs. /v1/chat/completions is OpenAI-compatible (thinking as `reasoning`);
// /api/chat streams NDJSON, one object per line, `done: true` on the last with the counts
// (prompt_eval_count, eval_count); tool calls arrive whole with arguments as an object; errors are
// {"error": "message"}.

export const ollamaCompatibleFormat: WireFormat = {
  contentType: "text/event-stream",
  stream: (reply, model) => openAIChatEvents(reply, model, "reasoning"),
  error: openAIError,
  streamError: openAIStreamError,
}

function line(value: unknown): string {
  return `${JSON.stringify(value)}\n`
}

function nativeEvents(reply: MockStreamReply, model: string): string[] {
  const createdAt = "2026-11-22T00:00:00.000000Z"
  const message = (fields: Record<string, unknown>) =>
    line({
      model,
      created_at: createdAt,
      message: { role: "assistant", content: "", ...fields },
      done: false,
    })
  const events: string[] = []
  for (const block of reply.blocks) {
    if (block.type === "text") for (const content of block.chunks) events.push(message({ content }))
    else if (block.type === "reasoning")
      for (const thinking of block.chunks) events.push(message({ thinking }))
    else
      events.push(
        message({
          tool_calls: [
            { function: { name: block.name, arguments: JSON.parse(block.argumentChunks.join("")) } },
          ],
        }),
      )
  }
  const usage = usageOf(reply)
  events.push(
    line({
      model,
      created_at: createdAt,
      message: { role: "assistant", content: "" },
      done: true,
      done_reason: "stop",
      total_duration: 4_883_583_458,
      load_duration: 1_334_875,
      prompt_eval_count: usage.input,
      prompt_eval_duration: 342_546_000,
      eval_count: usage.output,
      eval_duration: 4_535_599_000,
    }),
  )
  return events
}

const nativeErrors: Record<MockErrorKind, { status: number; message: string }> = {
  rate_limit: { status: 429, message: "too many requests" },
  quota: { status: 402, message: "payment required: usage limit reached" },
  auth: { status: 401, message: "unauthorized" },
  context_overflow: { status: 400, message: "the input length exceeds the context length" },
  internal: { status: 500, message: "llama runner process has terminated: exit status 2" },
  overloaded: { status: 503, message: "server busy, please try again.  maximum pending requests exceeded" },
}

export const ollamaNativeFormat: WireFormat = {
  contentType: "application/x-ndjson",
  stream: nativeEvents,
  streamError: (kind) => line({ error: nativeErrors[kind].message }),
  error(kind, retryAfterSeconds) {
    const error = nativeErrors[kind]
    return {
      status: error.status,
      headers: retryHeaders(retryAfterSeconds),
      body: { error: error.message },
    }
  },
}
