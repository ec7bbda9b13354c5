import { AppError, isAppError } from "@xionimus/kit"
import type { ProjectFiles } from "@xionimus/workspace"

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const strictUtf8 = new TextDecoder("utf-8", { fatal: true })

/** The bytes of a body's `content` in its declared encoding; malformed base64 is VALIDATION_FAILED. */
export function decodeContent(content: string, encoding: "utf8" | "base64", field = "content"): Buffer {
  if (encoding === "utf8") return Buffer.from(content, "utf8")
  if (!base64Pattern.test(content)) {
    throw new AppError("VALIDATION_FAILED", `${field} is not valid base64.`, {
      issues: [{ in: "body", path: field, code: "invalid_format", message: "not valid base64" }],
    })
  }
  return Buffer.from(content, "base64")
}

/** Text when the bytes are valid UTF-8, base64 otherwise. */
export function encodeContent(content: Buffer): { encoding: "utf8" | "base64"; content: string } {
  try {
    return { encoding: "utf8", content: strictUtf8.decode(content) }
  } catch {
    return { encoding: "base64", content: content.toString("base64") }
  }
}

/** Whether a path exists (for telling "created" from "updated" in file.changed). */
export async function entryTypeAt(
  files: ProjectFiles,
  path: string,
): Promise<"file" | "directory" | undefined> {
  try {
    const entry = await files.stat(path)
    return entry.type === "directory" ? "directory" : "file"
  } catch (error) {
    if (isAppError(error) && error.code === "FILE_NOT_FOUND") return undefined
    throw error
  }
}

/** `Content-Disposition: attachment` with an ASCII fallback and the exact UTF-8 name (RFC 6266). */
export function attachment(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, "_") || "download"
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`
}
