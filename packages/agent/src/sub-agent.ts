import { AppError } from "@xionimus/kit"
import type {
  AssistantContentPart,
  CallScope,
  ModelMessage,
  ModelRouter,
  ToolResult,
  ToolSpec,
} from "@xionimus/llm"
import { toolCallCorrection } from "@xionimus/llm"
import type { SessionUsage } from "@xionimus/protocol"
import {
  createSessionState,
  createToolRegistry,
  type TaskRequest,
  type TaskResult,
  type ToolContext,
  type ToolRegistry,
} from "@xionimus/tools"

export const subAgentNote = `You are a sub-agent started by another agent for one task. Do the task in the user's message
with the tools, then answer with a concise report of what you found or did (paths, results, open
questions): the report is the only thing the calling agent sees.`

export interface SubAgentInput {
  request: TaskRequest
  router: ModelRouter
  model: string
  /** The parent's system prompt; the sub-agent's adds a note on its role. */
  system: string
  /** The parent's tools; the sub-agent gets them without `task`. */
  tools: ToolRegistry
  scope: CallScope
  maxSteps: number
  /** The parent call's context: files, sandbox and the permission gate bound to the task call. */
  context: Pick<ToolContext, "sessionId" | "messageId" | "callId" | "files" | "sandbox" | "ask">
  onUsage(usage: SessionUsage): void
}

export function withoutTask(tools: ToolRegistry): ToolRegistry {
  return createToolRegistry(tools.list().filter((tool) => tool.id !== "task"))
}

/**
 * A sub-agent: its own model conversation in memory with the parent's tools minus `task`. Nothing of
 * it goes into the session's log (permission questions aside, which the user must see); the parent
 * records the task call's result, the sub-agent's final text.
 */
export async function runSubAgent(input: SubAgentInput): Promise<TaskResult> {
  const tools = withoutTask(input.tools)
  const specs: ToolSpec[] = tools
    .definitions()
    .map((tool) => ({ name: tool.id, description: tool.description, parameters: tool.inputSchema }))
  const messages: ModelMessage[] = [{ role: "user", content: input.request.prompt }]
  const session = createSessionState()
  const { signal } = input.request
  for (let step = 0; step < input.maxSteps; step++) {
    let text = ""
    const calls: { toolCallId: string; toolName: string; input: unknown; invalid?: string }[] = []
    let finished = false
    for await (const part of input.router.stream({
      model: input.model,
      system: `${input.system}\n\n${subAgentNote}`,
      messages: [...messages],
      tools: specs,
      scope: input.scope,
      signal,
    })) {
      if (part.type === "text-delta") text += part.text
      else if (part.type === "tool-call") calls.push(part)
      else if (part.type === "error") throw part.error
      else if (part.type === "finish") {
        finished = true
        input.onUsage({
          inputTokens: part.usage.inputTokens,
          outputTokens: part.usage.outputTokens,
          cachedInputTokens: part.usage.cachedInputTokens,
          costUsd: part.costUsd ?? 0,
        })
      }
    }
    if (!finished)
      throw new AppError("MODEL_CALL_FAILED", "The sub-agent's model call ended without an answer.")
    if (calls.length === 0) return { summary: text.trim() || "The sub-agent finished without a report." }
    const content: AssistantContentPart[] = text ? [{ type: "text", text }] : []
    for (const call of calls)
      content.push({
        type: "tool-call",
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        input: call.input,
      })
    messages.push({ role: "assistant", content })
    const results: ToolResult[] = []
    for (const call of calls) {
      if (call.invalid) {
        results.push(toolCallCorrection({ type: "tool-call", ...call, invalid: call.invalid }))
        continue
      }
      const outcome = await tools.run(call.toolName, call.input, {
        ...input.context,
        signal,
        session,
      })
      results.push(
        outcome.status === "completed"
          ? { toolCallId: call.toolCallId, toolName: call.toolName, output: outcome.output }
          : { toolCallId: call.toolCallId, toolName: call.toolName, output: outcome.error, isError: true },
      )
    }
    messages.push({ role: "tool", content: results })
  }
  return {
    summary: `The sub-agent stopped after ${input.maxSteps} model calls without finishing; its work so far is in the project's files.`,
  }
}
