import { AppError } from "@xionimus/kit"
import type { SessionState } from "@xionimus/protocol"
import type { ProjectFiles } from "@xionimus/tools"

/** The largest image sent to a model (Anthropic's limit per image; OpenAI and Google take more). */
export const maxImageBytes = 5 * 1024 * 1024
/** Images per model call: the most recent ones; older images stay paths in the text. */
export const maxImagesPerCall = 8

export interface AttachedImage {
  path: string
  mediaType: "image/png" | "image/jpeg" | "image/gif" | "image/webp"
  data: Uint8Array
}

/** Paths worth reading as images (the content decides; the name only saves reading other files). */
const imageName = /\.(png|jpe?g|gif|webp)$/i

/** The image format from the first bytes (never the file name), or undefined for anything else. */
export function imageMediaType(bytes: Uint8Array): AttachedImage["mediaType"] | undefined {
  const starts = (...prefix: number[]) => prefix.every((byte, index) => bytes[index] === byte)
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png"
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg"
  if (starts(0x47, 0x49, 0x46, 0x38)) return "image/gif"
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to))
  if (bytes.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp"
  return undefined
}

/**
 * The images attached to the visible user messages, newest first up to `maxImagesPerCall`, by message id.
 * Each path is read once per `cache` (a turn's): a missing, oversized or non-image file is left out, and
 * the model still sees its path in the message's text.
 */
export async function loadAttachedImages(
  state: SessionState,
  files: Pick<ProjectFiles, "stat" | "read">,
  cache: Map<string, AttachedImage | null>,
): Promise<Map<string, AttachedImage[]>> {
  const throughSeq = state.compaction?.throughSeq ?? 0
  const byMessage = new Map<string, AttachedImage[]>()
  let count = 0
  for (let index = state.messages.length - 1; index >= 0 && count < maxImagesPerCall; index--) {
    const message = state.messages[index]!
    if (message.role !== "user" || message.queued || message.seq <= throughSeq) continue
    const images: AttachedImage[] = []
    for (const path of message.attachments ?? []) {
      if (count + images.length >= maxImagesPerCall) break
      if (!imageName.test(path)) continue
      if (!cache.has(path)) cache.set(path, await readImage(files, path))
      const image = cache.get(path)
      if (image) images.push(image)
    }
    if (images.length > 0) byMessage.set(message.id, images)
    count += images.length
  }
  return byMessage
}

async function readImage(
  files: Pick<ProjectFiles, "stat" | "read">,
  path: string,
): Promise<AttachedImage | null> {
  try {
    const entry = await files.stat(path)
    if (entry.type !== "file" || entry.size > maxImageBytes) return null
    const { content } = await files.read(path)
    const mediaType = imageMediaType(content)
    return mediaType ? { path, mediaType, data: new Uint8Array(content) } : null
  } catch {
    // Deleted or moved since it was sent: the text still names the path.
    return null
  }
}

/**
 * The attachments of a message being sent, as the workspace names them: each must be a file of the
 * project. Raises FILE_NOT_FOUND or NOT_A_FILE naming the attachment.
 */
export async function checkAttachments(
  files: Pick<ProjectFiles, "stat">,
  paths: readonly string[],
): Promise<string[]> {
  const checked: string[] = []
  for (const path of paths) {
    const entry = await files.stat(path).catch((error: unknown) => {
      if (error instanceof AppError && error.code === "FILE_NOT_FOUND")
        throw new AppError(
          "FILE_NOT_FOUND",
          `The attachment "${path}" is not in the project. Upload it, then send the message again.`,
          { path },
        )
      throw error
    })
    if (entry.type !== "file")
      throw new AppError("NOT_A_FILE", `The attachment "${path}" is not a file. Attach files only.`, {
        path,
      })
    if (!checked.includes(entry.path)) checked.push(entry.path)
  }
  return checked
}
