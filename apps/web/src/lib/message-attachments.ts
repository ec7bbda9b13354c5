import type { ModelInfo, SessionState, UserMessage } from "@xionimus/protocol"

/**
 * Attachments of chat messages. Attached files are uploaded into the project's workspace under
 * `.xionimus/attachments/` and the message names their paths (SendMessageBody.attachments); the agent
 * lists them for the model and sends images to vision models as images. Messages written before
 * attachments had their own field carry the paths in a block at the end of their text instead, which
 * `messageContent` still reads.
 */

export const attachmentRoot = ".xionimus/attachments"

/** The block's first line (older messages; the agent writes the same for the model). */
const heading = "Attached files (in the project):"

/** A fresh folder per upload, so two files of the same name never overwrite each other. */
export function attachmentDirectory(now: Date, random: string): string {
  const stamp = now
    .toISOString()
    .replaceAll(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z")
  return `${attachmentRoot}/${stamp}-${random}`
}

/** A file name the workspace accepts: no folders, no control characters. */
export function attachmentFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ""
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const cleaned = base.replaceAll(/[\u0000-\u001f\u007f`]/g, "").trim()
  return cleaned && cleaned !== "." && cleaned !== ".." ? cleaned : "file"
}

/** A user message's words and its attachments' paths (its own field, or an older message's block). */
export function messageContent(message: Pick<UserMessage, "text" | "attachments">): {
  text: string
  paths: string[]
} {
  if (message.attachments?.length) return { text: message.text, paths: message.attachments }
  return splitAttachments(message.text)
}

/** Splits an older message into the user's words and the attachments' paths (none for ordinary text). */
export function splitAttachments(text: string): { text: string; paths: string[] } {
  const at = text.lastIndexOf(heading)
  if (at === -1) return { text, paths: [] }
  const lines = text
    .slice(at + heading.length)
    .split("\n")
    .filter((line) => line.trim() !== "")
  const paths: string[] = []
  for (const line of lines) {
    const match = /^- `([^`]+)`$/.exec(line.trim())
    if (!match?.[1]?.startsWith(`${attachmentRoot}/`)) return { text, paths: [] }
    paths.push(match[1])
  }
  return { text: text.slice(0, at).trimEnd(), paths }
}

const imageExtensions = /\.(png|jpe?g|gif|webp|avif|bmp|svg)$/i

export function isImagePath(path: string): boolean {
  return imageExtensions.test(path)
}

export function fileNameOf(path: string): string {
  return path.split("/").pop() ?? path
}

/** The model the session's next turn uses, as far as the page knows: its own, else the one that answered last. */
export function sessionModel(state: Pick<SessionState, "model" | "messages">): string | undefined {
  if (state.model) return state.model
  return state.messages.findLast((message) => message.role === "assistant")?.model || undefined
}

/** Whether the model reads images (the catalog's word); undefined when the model or the list is not known. */
export function seesImages(
  model: string | undefined,
  models: readonly ModelInfo[] | null,
): boolean | undefined {
  if (!model || !models) return undefined
  return models.find((item) => item.name === model)?.capabilities.vision
}
