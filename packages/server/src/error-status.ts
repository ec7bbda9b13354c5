import type { ErrorCode } from "@xionimus/protocol"

/**
 * The HTTP status of each error code (docs/api.md). Domain code raises codes; only the server picks
 * statuses. Codes missing here answer 500.
 */
export const errorStatus: Partial<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  PATH_INVALID: 400,
  GIT_URL_INVALID: 400,
  ZIP_INVALID: 400,
  STREAM_INVALID: 400,
  FRAME_INVALID: 400,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  PROJECT_NOT_FOUND: 404,
  TEMPLATE_NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  PATH_OUTSIDE_WORKSPACE: 403,
  PROJECT_NAME_TAKEN: 409,
  FILE_EXISTS: 409,
  VERSION_CONFLICT: 409,
  PROJECT_DELETED: 409,
  PROJECT_NOT_DELETED: 409,
  DIRECTORY_NOT_EMPTY: 409,
  NOT_A_FILE: 409,
  NOT_A_DIRECTORY: 409,
  SUBSCRIPTION_LIMIT: 429,
  PAYLOAD_TOO_LARGE: 413,
  FILE_TOO_LARGE: 413,
  UPLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UPGRADE_REQUIRED: 426,
  GIT_CLONE_FAILED: 422,
  DISK_FULL: 507,
  READ_ONLY_STORAGE: 503,
  PERMISSION_DENIED: 503,
  DB_UNREACHABLE: 503,
  BUS_UNREACHABLE: 503,
  SHUTTING_DOWN: 503,
}

/** The status for a code; unknown codes (and INTERNAL) are 500. */
export function statusOf(code: string): number {
  return (errorStatus as Record<string, number | undefined>)[code] ?? 500
}
