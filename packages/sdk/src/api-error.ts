import { AppError } from "@xionimus/kit/errors"
import { ErrorBody } from "@xionimus/protocol"

/** A failed API call: the server's error body, plus the HTTP status. */
export class ApiError extends AppError {
  /** HTTP status; 0 when the request never got an answer (network down, aborted). */
  readonly status: number
  /** The server's request id, to find its log lines. */
  readonly requestId: string | undefined

  constructor(
    code: string,
    message: string,
    options: { status: number; details?: unknown; requestId?: string; cause?: unknown },
  ) {
    super(code, message, options.details, { cause: options.cause })
    this.name = "ApiError"
    this.status = options.status
    this.requestId = options.requestId
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError
}

/** Builds the ApiError a failed response stands for, reading its error body when it has one. */
export async function apiErrorFromResponse(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "")
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    json = undefined
  }
  const parsed = ErrorBody.safeParse(json)
  if (parsed.success) {
    const { code, message, details, requestId } = parsed.data.error
    return new ApiError(code, message, { status: response.status, details, requestId })
  }
  return new ApiError(
    "HTTP_ERROR",
    `The server answered ${response.status} ${response.statusText || ""} without an error body.`.replace(
      "  ",
      " ",
    ),
    { status: response.status, details: text ? { body: text.slice(0, 500) } : undefined },
  )
}

/** Wraps a failure of fetch itself (no response at all). */
export function networkError(cause: unknown): ApiError {
  if (cause instanceof ApiError) return cause
  const aborted = cause instanceof Error && cause.name === "AbortError"
  return aborted
    ? new ApiError("ABORTED", "The request was cancelled.", { status: 0, cause })
    : new ApiError("NETWORK_ERROR", "The server cannot be reached. Check that it runs and try again.", {
        status: 0,
        cause,
      })
}

/** Wraps an answer that does not match the protocol schema (a client/server version mismatch). */
export function invalidResponse(path: string, issues: unknown, status: number): ApiError {
  return new ApiError(
    "RESPONSE_INVALID",
    `The server's answer to ${path} has an unexpected form; client and server versions may differ.`,
    { status, details: { issues } },
  )
}
