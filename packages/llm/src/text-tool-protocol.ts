import type { ModelMessage, ToolSpec } from "./model-types.ts"
import { repairToolInput } from "./repair-json.ts"

/**
 * Tools for models without native tool calling (many local models): the tools are described in the
 * system prompt, and the model answers a call as one tagged JSON object in its text:
 *
 *   <tool_call>{"name": "read_file", "arguments": {"path": "src/a.ts"}}</tool_call>
 *
 * Results go back as user messages: <tool_result name="read_file" id="…">…</tool_result>.
 * The parser is tolerant: the tag may be `<tool_call>` or `<function_call>`, the JSON may sit in a
 * ```json fence inside the tag, use "tool"/"function" for "name" and "parameters"/"input" for
 * "arguments", and is repaired where that is unambiguous (see repairToolInput).
 */
export const textToolOpen = "<tool_call>"
export const textToolClose = "</tool_call>"

export function textToolInstructions(tools: ToolSpec[]): string {
  const list = tools
    .map(
      (tool) =>
        `- ${tool.name}: ${tool.description}\n  arguments (JSON Schema): ${JSON.stringify(tool.parameters)}`,
    )
    .join("\n")
  return [
    "You can call tools. To call one, write exactly one line:",
    `${textToolOpen}{"name": "<tool name>", "arguments": {<arguments as JSON>}}${textToolClose}`,
    "You may write several such lines to call several tools. After calling, stop and wait: the results come back",
    'in the next message as <tool_result name="…" id="…">…</tool_result>. Do not invent results.',
    "",
    "Tools:",
    list,
  ].join("\n")
}

export interface ParsedTextCall {
  name: string
  input: unknown
  /** Set when the call could not be read; the text explains what was wrong. */
  invalid?: string
}

const tagPattern = /<(tool_call|function_call)>([\s\S]*?)<\/\1>/g

/** Reads one tagged call's body. */
export function parseTextToolCall(body: string, tools: ToolSpec[]): ParsedTextCall {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(body)
  const object = repairToolInput(fenced?.[1] ?? body)
  if (!object) return { name: "", input: body, invalid: "the tool call is not a JSON object" }
  const name = object.name ?? object.tool ?? object.function
  const input = object.arguments ?? object.parameters ?? object.input ?? {}
  if (typeof name !== "string") return { name: "", input: object, invalid: 'the tool call has no "name"' }
  if (!tools.some((tool) => tool.name === name))
    return {
      name,
      input,
      invalid: `there is no tool "${name}"; the tools are ${tools.map((tool) => tool.name).join(", ")}`,
    }
  const parsed = typeof input === "string" ? repairToolInput(input) : input
  if (parsed === undefined || parsed === null || typeof parsed !== "object")
    return { name, input, invalid: '"arguments" is not a JSON object' }
  return { name, input: parsed }
}

/** Every tagged call in a text, with the text around them. */
export function extractTextToolCalls(
  text: string,
  tools: ToolSpec[],
): { calls: ParsedTextCall[]; prose: string } {
  const calls: ParsedTextCall[] = []
  const prose = text.replace(tagPattern, (_match, _tag: string, body: string) => {
    calls.push(parseTextToolCall(body, tools))
    return ""
  })
  return { calls, prose: prose.trim() }
}

/** History for a model without tools: calls become tagged text, results become user messages. */
export function toTextToolMessages(messages: ModelMessage[]): ModelMessage[] {
  return messages.map((message): ModelMessage => {
    if (message.role === "assistant" && typeof message.content !== "string") {
      const text = message.content
        .map((part) =>
          part.type === "tool-call"
            ? `${textToolOpen}${JSON.stringify({ name: part.toolName, arguments: part.input })}${textToolClose}`
            : part.type === "text"
              ? part.text
              : "",
        )
        .filter(Boolean)
        .join("\n")
      return { role: "assistant", content: text }
    }
    if (message.role === "tool") {
      const text = message.content
        .map((result) => {
          const output = typeof result.output === "string" ? result.output : JSON.stringify(result.output)
          const error = result.isError ? ' error="true"' : ""
          return `<tool_result name="${result.toolName}" id="${result.toolCallId}"${error}>${output}</tool_result>`
        })
        .join("\n")
      return { role: "user", content: text }
    }
    return message
  })
}
