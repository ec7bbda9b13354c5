/**
 * Named, serialisable errors. Domain code raises `AppError` with a stable `code`
 * (SCREAMING_SNAKE_CASE); the edge (HTTP route, WebSocket, CLI) chooses the status or exit code.
 */
export interface ErrorData {
  code: string
  message: string
  details?: unknown
}

export class AppError extends Error {
  readonly code: string
  readonly details: unknown

  constructor(code: string, message: string, details?: unknown, options?: { cause?: unknown }) {
    super(message, options)
    this.name = "AppError"
    this.code = code
    this.details = details
  }

  toJSON(): ErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError
}

/** Wraps anything thrown into an AppError, keeping AppErrors as they are. */
export function toAppError(value: unknown, fallbackCode = "INTERNAL"): AppError {
  if (isAppError(value)) return value
  const message = value instanceof Error ? value.message : String(value)
  return new AppError(fallbackCode, message, undefined, { cause: value })
}

/** Node system error codes (ENOSPC, EROFS, ...) mapped to our stable codes. */
export function fromSystemError(error: unknown, context: Record<string, unknown> = {}): AppError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
      return new AppError("DISK_FULL", "The disk is full. Free some space and try again.", context, {
        cause: error,
      })
    case "EROFS":
      return new AppError(
        "READ_ONLY_STORAGE",
        "The data directory is read-only. Make it writable or choose another with --data-dir.",
        context,
        { cause: error },
      )
    case "EACCES":
    case "EPERM":
      return new AppError(
        "PERMISSION_DENIED",
        "The server may not write here. Check the owner and mode of the data directory.",
        context,
        { cause: error },
      )
    default:
      return undefined
  }
}
