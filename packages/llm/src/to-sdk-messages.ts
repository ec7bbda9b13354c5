import type { ModelMessage as SdkMessage, ToolSet } from "ai"
import { jsonSchema, tool } from "ai"
import type { ModelMessage, ToolResult, ToolSpec } from "./model-types.ts"

function toolOutput(result: ToolResult) {
  if (typeof result.output === "string")
    return result.isError
      ? { type: "error-text" as const, value: result.output }
      : { type: "text" as const, value: result.output }
  const value = (result.output ?? null) as never
  return result.isError ? { type: "error-json" as const, value } : { type: "json" as const, value }
}

/** Our messages in the SDK's shape (kept close to it on purpose, so this stays a thin map). */
export function toSdkMessages(messages: ModelMessage[]): SdkMessage[] {
  return messages.map((message): SdkMessage => {
    switch (message.role) {
      case "user":
        return {
          role: "user",
          content:
            typeof message.content === "string"
              ? message.content
              : message.content.map((part) =>
                  part.type === "text"
                    ? part
                    : {
                        type: "image",
                        image: part.image,
                        ...(part.mediaType ? { mediaType: part.mediaType } : {}),
                      },
                ),
        }
      case "assistant":
        return {
          role: "assistant",
          content:
            typeof message.content === "string"
              ? message.content
              : message.content.map((part) =>
                  part.type === "tool-call" ? { ...part, input: part.input ?? {} } : part,
                ),
        }
      default:
        return {
          role: "tool",
          content: message.content.map((result) => ({
            type: "tool-result",
            toolCallId: result.toolCallId,
            toolName: result.toolName,
            output: toolOutput(result),
          })),
        }
    }
  })
}

/** Tool specs as SDK tools without `execute`: the agent runs tools, the model only calls them. */
export function toSdkTools(tools: ToolSpec[] | undefined): ToolSet | undefined {
  if (!tools || tools.length === 0) return undefined
  return Object.fromEntries(
    tools.map((spec) => [
      spec.name,
      tool({ description: spec.description, inputSchema: jsonSchema(spec.parameters) }),
    ]),
  )
}
