import type { ModelPart, ModelPort, ModelRequest } from "./model-types.ts"
import { parseTextToolCall, textToolInstructions, toTextToolMessages } from "./text-tool-protocol.ts"

const opening = /<(tool_call|function_call)>/
const tagStarts = ["<tool_call>", "<function_call>"]

/**
 * Wraps a port for a model without native tool calling: tools go into the system prompt (see
 * text-tool-protocol.ts), and tagged calls in the streamed text come out as tool-input and
 * tool-call parts. Text outside the tags streams through as it arrives (held back only while it
 * could be the start of a tag).
 */
export function withTextTools(port: ModelPort): ModelPort {
  return {
    async *stream(request: ModelRequest): AsyncIterable<ModelPart> {
      const tools = request.tools ?? []
      if (tools.length === 0) {
        yield* port.stream(request)
        return
      }
      const system = [request.system, textToolInstructions(tools)].filter(Boolean).join("\n\n")
      const { tools: _native, ...rest } = request
      let pending = ""
      let calls = 0
      const drain = function* (final: boolean): Generator<ModelPart> {
        while (pending) {
          const match = opening.exec(pending)
          if (!match) {
            // Hold back a tail that could still become "<tool_call>" or "<function_call>".
            const start = pending.lastIndexOf("<")
            const tail = start < 0 ? "" : pending.slice(start)
            const partial = !final && tail !== "" && tagStarts.some((tag) => tag.startsWith(tail))
            const keep = partial ? start : pending.length
            if (keep > 0) yield { type: "text-delta", text: pending.slice(0, keep) }
            pending = pending.slice(keep)
            return
          }
          if (match.index > 0) {
            yield { type: "text-delta", text: pending.slice(0, match.index) }
            pending = pending.slice(match.index)
            continue
          }
          const close = `</${match[1]}>`
          const end = pending.indexOf(close)
          if (end < 0) {
            if (final) {
              // An unclosed tag at the end: read what is there.
              yield* emitCall(pending.slice(match[0].length))
              pending = ""
            }
            return
          }
          yield* emitCall(pending.slice(match[0].length, end))
          pending = pending.slice(end + close.length)
        }
      }
      const emitCall = function* (body: string): Generator<ModelPart> {
        const parsed = parseTextToolCall(body, tools)
        const toolCallId = `text_call_${++calls}`
        const input = JSON.stringify(parsed.input)
        yield { type: "tool-input-start", toolCallId, toolName: parsed.name }
        yield { type: "tool-input-delta", toolCallId, delta: input }
        yield { type: "tool-input-end", toolCallId }
        yield {
          type: "tool-call",
          toolCallId,
          toolName: parsed.name,
          input: parsed.input,
          ...(parsed.invalid ? { invalid: parsed.invalid } : {}),
        }
      }
      for await (const part of port.stream({
        ...rest,
        system,
        messages: toTextToolMessages(request.messages),
      })) {
        if (part.type === "text-delta") {
          pending += part.text
          yield* drain(false)
        } else if (part.type === "finish") {
          yield* drain(true)
          yield calls > 0 && part.reason === "stop" ? { ...part, reason: "tool-calls" } : part
        } else yield part
      }
    },
  }
}

/**
 * The tool result to send back for a call whose arguments could not be read (`invalid`), so the model
 * can correct it. Send it once; if the next call is invalid again, stop the turn with the error.
 */
export function toolCallCorrection(part: Extract<ModelPart, { type: "tool-call" }>) {
  return {
    toolCallId: part.toolCallId,
    toolName: part.toolName,
    isError: true,
    output: `The call to ${part.toolName || "a tool"} could not be run: ${part.invalid}. Send the call again with valid JSON arguments that match the tool's schema.`,
  }
}
