import { ApiError, isApiError } from "@xionimus/sdk"

/** Anything caught, as an ApiError with a code and message to show. */
export function toApiError(error: unknown): ApiError {
  if (isApiError(error)) return error
  const message = error instanceof Error ? error.message : String(error)
  const code = (error as { code?: unknown } | null)?.code
  return new ApiError(typeof code === "string" ? code : "INTERNAL", message, { status: 0, cause: error })
}

export function isAbort(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "ABORTED"
}
