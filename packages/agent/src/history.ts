import type { AssistantContentPart, ModelMessage, ToolResult } from "@xionimus/llm"
import type { SessionMessage, SessionState } from "@xionimus/protocol"

export const interruptedResult = "The call was interrupted before it finished."
export const prunedOutput = "[output pruned to save context]"
export const summaryPrefix = "Summary of the conversation so far: "

export interface HistoryOptions {
  /** Tool calls whose output is replaced by a short note (defaults to the latest compaction's). */
  prunedCallIds?: ReadonlySet<string>
  /** Messages up to this seq are replaced by `summary` (defaults to the latest compaction's). */
  throughSeq?: number
  summary?: string
}

/**
 * The conversation as the model reads it, from the folded log: visible messages only (a chat rewind
 * hides its range), queued messages left out (their own turn answers them), a compaction's summary in
 * place of the messages it covers, and pruned tool outputs replaced by a note. Every tool call gets a
 * result: a call the turn never finished reads as interrupted.
 */
export function toModelMessages(state: SessionState, options: HistoryOptions = {}): ModelMessage[] {
  const throughSeq = options.throughSeq ?? state.compaction?.throughSeq ?? 0
  const summary = options.summary ?? state.compaction?.summary ?? ""
  const pruned = options.prunedCallIds ?? new Set(state.compaction?.prunedCallIds ?? [])
  const messages: ModelMessage[] = []
  if (throughSeq > 0 && summary) messages.push({ role: "user", content: summaryPrefix + summary })
  for (const message of state.messages) {
    if (message.seq <= throughSeq) continue
    messages.push(...modelMessagesOf(message, pruned))
  }
  return messages
}

/** One chat message as model messages: a user message, or an assistant message and its tool results. */
export function modelMessagesOf(
  message: SessionMessage,
  pruned: ReadonlySet<string> = new Set(),
): ModelMessage[] {
  if (message.role === "user") return message.queued ? [] : [{ role: "user", content: message.text }]
  const content: AssistantContentPart[] = []
  const results: ToolResult[] = []
  for (const part of message.parts) {
    if (part.type === "text") {
      if (part.text) content.push({ type: "text", text: part.text })
      continue
    }
    // Reasoning stays in the log and the UI; providers do not take it back as plain text.
    if (part.type === "reasoning") continue
    content.push({ type: "tool-call", toolCallId: part.callId, toolName: part.tool, input: part.input ?? {} })
    if (part.status === "completed") {
      results.push({
        toolCallId: part.callId,
        toolName: part.tool,
        output: pruned.has(part.callId) ? prunedOutput : (part.output ?? ""),
      })
    } else if (part.status === "error") {
      results.push({
        toolCallId: part.callId,
        toolName: part.tool,
        output: pruned.has(part.callId) ? prunedOutput : (part.error?.message ?? interruptedResult),
        isError: true,
      })
    } else {
      results.push({ toolCallId: part.callId, toolName: part.tool, output: interruptedResult, isError: true })
    }
  }
  if (content.length === 0) return []
  const out: ModelMessage[] = [{ role: "assistant", content }]
  if (results.length > 0) out.push({ role: "tool", content: results })
  return out
}
