import { AppError } from "@xionimus/kit"
import type { FastifyRequest } from "fastify"

export interface UploadedFile {
  /** The part's field name. */
  field: string
  /** The filename as sent, folders kept ("src/app.ts"). */
  filename: string
  content: Buffer
}

export interface MultipartLimits {
  /** Largest single file. */
  maxFileBytes: number
  /** Largest sum of all files. */
  maxTotalBytes: number
  maxFiles: number
  /** Raised when one file or the sum is too large: FILE_TOO_LARGE or UPLOAD_TOO_LARGE. */
  tooLargeCode: "FILE_TOO_LARGE" | "UPLOAD_TOO_LARGE"
}

/**
 * Reads a whole multipart/form-data body into memory within the limits: every file with its relative path
 * (busboy strips folders unless preservePath is set) and every text field.
 */
export async function readMultipart(
  request: FastifyRequest,
  limits: MultipartLimits,
): Promise<{ files: UploadedFile[]; fields: Map<string, string> }> {
  if (!request.isMultipart()) {
    throw new AppError(
      "UNSUPPORTED_MEDIA_TYPE",
      "This route takes multipart/form-data. Send the files as a form upload.",
    )
  }
  const files: UploadedFile[] = []
  const fields = new Map<string, string>()
  let total = 0
  const parts = request.parts({
    preservePath: true,
    limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 20, fieldSize: 64 * 1024 },
  })
  try {
    for await (const part of parts) {
      if (part.type === "field") {
        fields.set(part.fieldname, String(part.value))
        continue
      }
      const content = await part.toBuffer()
      total += content.length
      if (total > limits.maxTotalBytes) {
        throw new AppError(
          "UPLOAD_TOO_LARGE",
          `The upload is larger than ${limits.maxTotalBytes} bytes (limits.maxUploadBytes). Send fewer files at once.`,
          { maxBytes: limits.maxTotalBytes },
        )
      }
      files.push({ field: part.fieldname, filename: part.filename, content })
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code
    if (code === "FST_REQ_FILE_TOO_LARGE") {
      throw new AppError(
        limits.tooLargeCode,
        `A file is larger than ${limits.maxFileBytes} bytes, the largest the server accepts.`,
        { maxBytes: limits.maxFileBytes },
        { cause: error },
      )
    }
    if (code === "FST_FILES_LIMIT") {
      throw new AppError(
        "UPLOAD_TOO_LARGE",
        `The upload holds more than ${limits.maxFiles} file(s), the most this route accepts at once.`,
        { maxFiles: limits.maxFiles },
        { cause: error },
      )
    }
    throw error
  }
  return { files, fields }
}
