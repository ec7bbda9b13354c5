import { AppError, fromSystemError, isAppError } from "@xionimus/kit"

/** Fastify's and @fastify/multipart's own error codes, translated to ours. */
const fastifyCodes: Record<string, [code: string, message: string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: ["INVALID_JSON", "The request body is not valid JSON. Check the syntax."],
  FST_ERR_CTP_EMPTY_JSON_BODY: [
    "INVALID_JSON",
    "The request says its body is JSON but the body is empty. Send a JSON value or drop the content type.",
  ],
  FST_ERR_CTP_BODY_TOO_LARGE: [
    "PAYLOAD_TOO_LARGE",
    "The request body is larger than the server accepts (server.bodyLimitBytes). Send less at once.",
  ],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    "UNSUPPORTED_MEDIA_TYPE",
    "This content type is not accepted here. Send application/json (or multipart/form-data for uploads).",
  ],
  FST_INVALID_MULTIPART_CONTENT_TYPE: [
    "UNSUPPORTED_MEDIA_TYPE",
    "This route takes multipart/form-data. Send the file as a form upload.",
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    "VALIDATION_FAILED",
    "The Content-Length header does not match the body that was sent.",
  ],
  FST_REQ_FILE_TOO_LARGE: ["UPLOAD_TOO_LARGE", "A file in the upload is larger than the server accepts."],
  FST_FILES_LIMIT: ["UPLOAD_TOO_LARGE", "The upload holds more files than the server accepts at once."],
  FST_PARTS_LIMIT: ["UPLOAD_TOO_LARGE", "The upload holds more parts than the server accepts at once."],
  FST_FIELDS_LIMIT: ["UPLOAD_TOO_LARGE", "The upload holds more form fields than the server accepts."],
  FST_PROTO_VIOLATION: ["VALIDATION_FAILED", "A form field name is not allowed."],
  FST_MP_PREMATURE_CLOSE: ["VALIDATION_FAILED", "The upload ended before it was complete. Send it again."],
  FST_ERR_BAD_URL: ["VALIDATION_FAILED", "The URL is malformed."],
}

const byStatus: Record<number, [code: string, message: string]> = {
  400: ["VALIDATION_FAILED", "The request is not valid."],
  404: ["ROUTE_NOT_FOUND", "No route matches this method and URL."],
  413: ["PAYLOAD_TOO_LARGE", "The request body is larger than the server accepts."],
  415: ["UNSUPPORTED_MEDIA_TYPE", "This content type is not accepted here."],
}

/** Whatever was thrown, as an AppError with one of our stable codes (INTERNAL when unknown). */
export function appErrorOf(error: unknown): AppError {
  if (isAppError(error)) return error
  const system = fromSystemError(error)
  if (system) return system
  const { code, statusCode } = (error ?? {}) as { code?: unknown; statusCode?: unknown }
  const known =
    (typeof code === "string" ? fastifyCodes[code] : undefined) ??
    (typeof statusCode === "number" ? byStatus[statusCode] : undefined)
  if (known) return new AppError(known[0], known[1], undefined, { cause: error })
  const message = error instanceof Error ? error.message : String(error)
  return new AppError("INTERNAL", message, undefined, { cause: error })
}
