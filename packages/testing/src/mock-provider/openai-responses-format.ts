import { type MockStreamReply, usageOf } from "./mock-reply.ts"
import { openAIError } from "./openai-chat-format.ts"
import { sse, type WireFormat } from "./wire-format.ts"

// Responses API streaming, as in the API reference ("Streaming events"): every event is named by
// `event:` and repeats its type in the data with a sequence_number; output items are announced with
// response.output_item.added, filled by *.delta events and closed by response.output_item.done;
// response.completed carries the usage.

function responseObject(model: string, status: string, output: unknown[], usage: unknown) {
  return {
    id: "resp_mock1",
    object: "response",
    created_at: 1_763_769_600,
    status,
    model,
    output,
    parallel_tool_calls: true,
    usage,
  }
}

function responsesEvents(reply: MockStreamReply, model: string): string[] {
  let sequence = 0
  const events: string[] = []
  const emit = (type: string, data: Record<string, unknown>) =>
    events.push(sse({ type, sequence_number: sequence++, ...data }, type))
  const output: unknown[] = []
  emit("response.created", { response: responseObject(model, "in_progress", [], null) })
  emit("response.in_progress", { response: responseObject(model, "in_progress", [], null) })
  reply.blocks.forEach((block, outputIndex) => {
    const at = { output_index: outputIndex }
    if (block.type === "text") {
      const id = `msg_mock${outputIndex}`
      const text = block.chunks.join("")
      emit("response.output_item.added", {
        ...at,
        item: { type: "message", id, status: "in_progress", role: "assistant", content: [] },
      })
      const part = { item_id: id, ...at, content_index: 0 }
      emit("response.content_part.added", {
        ...part,
        part: { type: "output_text", text: "", annotations: [] },
      })
      for (const delta of block.chunks) emit("response.output_text.delta", { ...part, delta, logprobs: [] })
      emit("response.output_text.done", { ...part, text, logprobs: [] })
      emit("response.content_part.done", { ...part, part: { type: "output_text", text, annotations: [] } })
      const item = {
        type: "message",
        id,
        status: "completed",
        role: "assistant",
        content: [{ type: "output_text", text, annotations: [] }],
      }
      emit("response.output_item.done", { ...at, item })
      output.push(item)
    } else if (block.type === "reasoning") {
      const id = `rs_mock${outputIndex}`
      const text = block.chunks.join("")
      emit("response.output_item.added", { ...at, item: { type: "reasoning", id, summary: [] } })
      const part = { item_id: id, ...at, summary_index: 0 }
      emit("response.reasoning_summary_part.added", { ...part, part: { type: "summary_text", text: "" } })
      for (const delta of block.chunks) emit("response.reasoning_summary_text.delta", { ...part, delta })
      emit("response.reasoning_summary_text.done", { ...part, text })
      emit("response.reasoning_summary_part.done", { ...part, part: { type: "summary_text", text } })
      const item = { type: "reasoning", id, summary: [{ type: "summary_text", text }] }
      emit("response.output_item.done", { ...at, item })
      output.push(item)
    } else {
      const id = `fc_mock${outputIndex}`
      const call = { type: "function_call", id, call_id: block.id, name: block.name }
      emit("response.output_item.added", { ...at, item: { ...call, arguments: "", status: "in_progress" } })
      for (const delta of block.argumentChunks) {
        emit("response.function_call_arguments.delta", { item_id: id, ...at, delta })
      }
      const argumentsText = block.argumentChunks.join("")
      emit("response.function_call_arguments.done", { item_id: id, ...at, arguments: argumentsText })
      const item = { ...call, arguments: argumentsText, status: "completed" }
      emit("response.output_item.done", { ...at, item })
      output.push(item)
    }
  })
  const usage = usageOf(reply)
  emit("response.completed", {
    response: responseObject(model, "completed", output, {
      input_tokens: usage.input,
      input_tokens_details: { cached_tokens: usage.cached },
      output_tokens: usage.output,
      output_tokens_details: { reasoning_tokens: usage.reasoning },
      total_tokens: usage.input + usage.output,
    }),
  })
  return events
}

export const openAIResponsesFormat: WireFormat = {
  contentType: "text/event-stream",
  stream: responsesEvents,
  error: openAIError,
  // The Responses API's `error` streaming event.
  streamError(kind) {
    const { message, code } = (
      openAIError(kind, undefined).body as { error: { message: string; code: string | null } }
    ).error
    return sse({ type: "error", sequence_number: 999, code, message, param: null }, "error")
  },
}
