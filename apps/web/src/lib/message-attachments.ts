/**
 * Attachments of chat messages. Messages carry only text (SendMessageBody), so attached files are
 * uploaded into the project's workspace under `.xionimus/attachments/` and the message names their
 * paths in a block at its end, which the agent reads (and opens with its file tools) and the
 * transcript turns back into chips and thumbnails.
 */

export const attachmentRoot = ".xionimus/attachments"

/** The block's first line: written for the model, so in English whatever the UI language. */
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

/** The text sent: the user's words, then the attachments' paths. */
export function withAttachments(text: string, paths: readonly string[]): string {
  const trimmed = text.trim()
  if (paths.length === 0) return trimmed
  const block = [heading, ...paths.map((path) => `- \`${path}\``)].join("\n")
  return trimmed ? `${trimmed}\n\n${block}` : block
}

/** Splits a message into the user's words and the attachments' paths (none for ordinary text). */
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
