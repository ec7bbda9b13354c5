import type { AssistantContentPart, ModelMessage, ToolResult, UserContentPart } from "@xionimus/llm"
import type { SessionMessage, SessionState, UserMessage } from "@xionimus/protocol"
import type { AttachedImage } from "./attached-images.ts"

export const interruptedResult = "The call was interrupted before it finished."
export const prunedOutput = "[output pruned to save context]"
export const summaryPrefix = "Summary of the conversation so far: "
/** Heads the list of a message's attachments in the text the model reads. */
export const attachmentsHeading = "Attached files (in the project):"

export interface HistoryOptions {
  /** Tool calls whose output is replaced by a short note (defaults to the latest compaction's). */
  prunedCallIds?: ReadonlySet<string>
  /** Messages up to this seq are replaced by `summary` (defaults to the latest compaction's). */
  throughSeq?: number
  summary?: string
  /** Images to send with user messages, by message id (loadAttachedImages); others stay paths. */
  images?: ReadonlyMap<string, readonly AttachedImage[]>
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
    messages.push(...modelMessagesOf(message, pruned, options.images?.get(message.id)))
  }
  return messages
}

/** A user message's text with its attachments listed after it, as the model reads it. */
export function userText(message: Pick<UserMessage, "text" | "attachments">): string {
  if (!message.attachments?.length) return message.text
  const list = message.attachments.map((path) => `- \`${path}\``).join("\n")
  const block = `${attachmentsHeading}\n${list}`
  return message.text.trim() ? `${message.text}\n\n${block}` : block
}

/**
 * One chat message as model messages: a user message (with its attached images, when given), or an
 * assistant message and its tool results.
 */
export function modelMessagesOf(
  message: SessionMessage,
  pruned: ReadonlySet<string> = new Set(),
  images: readonly AttachedImage[] = [],
): ModelMessage[] {
  if (message.role === "user") {
    if (message.queued) return []
    const text = userText(message)
    if (images.length === 0) return [{ role: "user", content: text }]
    const content: UserContentPart[] = [{ type: "text", text }]
    for (const image of images) {
      content.push({ type: "text", text: `Image \`${image.path}\`:` })
      content.push({ type: "image", image: image.data, mediaType: image.mediaType })
    }
    return [{ role: "user", content }]
  }
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
