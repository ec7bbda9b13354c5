import type {
  AssistantMessage,
  SessionCompactedData,
  SessionRevertedData,
  SessionState,
  StoredEvent,
  ToolPart,
  UserMessage,
} from "@xionimus/protocol"
import { reduceSession } from "@xionimus/protocol"
import type { SessionRecord } from "@xionimus/store"
import type { z } from "zod"
import { userText } from "./history.ts"

/** A fence longer than any backtick run in the text, so the text cannot close it. */
function fenced(text: string, language = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length))
  const fence = "`".repeat(longest + 1)
  return `${fence}${language}\n${text.replace(/\n$/, "")}\n${fence}`
}

function inputText(input: unknown): string {
  return typeof input === "string" ? input : (JSON.stringify(input, null, 2) ?? "")
}

function toolBlock(part: ToolPart): string {
  const heading = `**Tool \`${part.tool}\`** — ${part.status}${part.title ? `: ${part.title}` : ""}`
  const lines = [heading, "", fenced(inputText(part.input), "json")]
  const output = part.output ?? (part.liveOutput || undefined)
  if (output) lines.push("", fenced(output, "text"))
  if (part.error) lines.push("", `> Error ${part.error.code}: ${part.error.message}`)
  return lines.join("\n")
}

function userBlock(message: UserMessage, hidden: boolean): string {
  const note = hidden ? " _(rewound: hidden from the chat)_" : ""
  return `## User · ${message.time}${note}\n\n${userText(message)}`
}

function assistantBlock(message: AssistantMessage, hidden: boolean): string {
  const note = hidden ? " _(rewound: hidden from the chat)_" : ""
  const parts = message.parts.map((part) => {
    if (part.type === "text") return part.text
    if (part.type === "reasoning")
      return part.text
        .split("\n")
        .map((line) => `> ${line}`)
        .join("\n")
    return toolBlock(part)
  })
  const finish = message.finish?.error
    ? [`> The answer failed: ${message.finish.error.code}: ${message.finish.error.message}`]
    : message.finish?.reason === "cancelled"
      ? ["> The answer was cancelled."]
      : message.finish?.reason === "interrupted"
        ? ["> The server stopped while this answer streamed."]
        : []
  return [`## Assistant (${message.model}) · ${message.time}${note}`, ...parts, ...finish].join("\n\n")
}

function revertNote(data: z.infer<typeof SessionRevertedData>): string {
  if (data.undoes) return `> **Rewind undone** (${data.undoes}).`
  const what =
    data.mode === "chat" ? "the chat" : data.mode === "code" ? "the files" : "the chat and the files"
  const target = data.messageId ? ` to message ${data.messageId}` : ""
  return `> **Rewound ${what}${target}** (events ${data.fromSeq}–${data.toSeq}).`
}

function compactionNote(data: z.infer<typeof SessionCompactedData>): string {
  return [
    `> **Compacted**: events up to ${data.throughSeq} are summarised for the model (${data.tokensBefore} → ${data.tokensAfter} tokens; the log keeps them).`,
    ">",
    ...data.summary.split("\n").map((line) => `> ${line}`),
  ].join("\n")
}

/**
 * A readable transcript of a session: title, metadata, the messages in order (tool calls as fenced
 * blocks with their status), and notes where the session was compacted or rewound. Messages hidden
 * by a rewind are kept and marked. Pass redacted events for anything that leaves the server.
 */
export function markdownTranscript(record: SessionRecord, events: readonly StoredEvent[]): string {
  const state: SessionState = reduceSession(events)
  const shown = new Set(state.messages.map((message) => message.id))
  const blocks: { seq: number; text: string }[] = []
  for (const message of state.allMessages) {
    const hidden = !shown.has(message.id)
    blocks.push({
      seq: message.seq,
      text: message.role === "user" ? userBlock(message, hidden) : assistantBlock(message, hidden),
    })
  }
  for (const event of events) {
    if (event.type === "session.reverted")
      blocks.push({ seq: event.seq, text: revertNote(event.data as z.infer<typeof SessionRevertedData>) })
    if (event.type === "session.compacted")
      blocks.push({
        seq: event.seq,
        text: compactionNote(event.data as z.infer<typeof SessionCompactedData>),
      })
  }
  blocks.sort((a, b) => a.seq - b.seq)
  const usage = state.usage
  const meta = [
    `- Session: ${record.id}`,
    `- Project: ${record.projectId}`,
    `- Model: ${record.model ?? "default"}`,
    `- Created: ${record.createdAt}`,
    ...(record.tags.length > 0 ? [`- Tags: ${record.tags.join(", ")}`] : []),
    ...(state.forkedFrom
      ? [`- Forked from: ${state.forkedFrom.sessionId} at event ${state.forkedFrom.seq}`]
      : []),
    `- Usage: ${usage.inputTokens} input tokens, ${usage.outputTokens} output tokens, $${usage.costUsd.toFixed(4)}`,
    `- Events: ${state.head}`,
  ]
  const body = [
    `# ${state.title || record.title}`,
    meta.join("\n"),
    "---",
    ...blocks.map((block) => block.text),
  ]
  return `${body.join("\n\n")}\n`
}
