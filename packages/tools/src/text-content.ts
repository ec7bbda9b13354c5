import { AppError } from "@xionimus/kit"

const decoder = new TextDecoder("utf-8", { fatal: true })

/** The file's content as text; raises FILE_NOT_TEXT for binary content (NUL bytes, invalid UTF-8). */
export function decodeText(content: Uint8Array, path: string): string {
  const sample = content.subarray(0, 8192)
  let text: string | undefined
  if (!sample.includes(0)) {
    try {
      text = decoder.decode(content)
    } catch {
      text = undefined
    }
  }
  if (text === undefined) {
    throw new AppError(
      "FILE_NOT_TEXT",
      `"${path}" is a binary file, not UTF-8 text, so it cannot be read or edited as text. Leave it alone, or use run to inspect it (for example with "file" or "xxd | head").`,
      { path, bytes: content.byteLength },
    )
  }
  return text
}

/** Lines of a text; a final newline does not start another line. */
export function splitLines(text: string): string[] {
  if (text === "") return []
  const lines = text.split("\n")
  if (lines.at(-1) === "") lines.pop()
  return lines
}
