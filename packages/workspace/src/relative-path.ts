import { AppError } from "@xionimus/kit"

const maxPathLength = 4096

/**
 * Splits a project-relative path into its segments after refusing anything that could name a place
 * outside the project: absolute paths, `..`, NUL bytes and backslashes (a Windows separator that a
 * later tool might honour). `.` and empty segments (`a//b`, a trailing slash) are dropped.
 * `allowRoot` lets "" (and ".") name the project root itself, for listing.
 */
export function parseRelativePath(path: string, options: { allowRoot?: boolean } = {}): string[] {
  if (typeof path !== "string") throw invalid(String(path), "is not a string")
  if (path.length > maxPathLength)
    throw invalid(path.slice(0, 80), `is longer than ${maxPathLength} characters`)
  if (path.includes("\0")) throw invalid(path, "contains a NUL byte")
  if (path.includes("\\")) throw invalid(path, "contains a backslash; use forward slashes")
  if (path.startsWith("/")) throw invalid(path, "is absolute; give it relative to the project root")
  const segments = path.split("/").filter((segment) => segment !== "" && segment !== ".")
  if (segments.includes("..")) throw invalid(path, "contains '..'")
  if (segments.length === 0 && !options.allowRoot) throw invalid(path, "is empty")
  return segments
}

/** The canonical form of a parsed path: segments joined with "/", "" for the root. */
export function joinSegments(segments: readonly string[]): string {
  return segments.join("/")
}

function invalid(path: string, reason: string): AppError {
  return new AppError(
    "PATH_INVALID",
    `The path "${path}" ${reason}. Use a path relative to the project root, like "src/index.ts".`,
    { path },
  )
}
