import { randomBytes } from "node:crypto"
import { constants } from "node:fs"
import { lstat, mkdir, open, rm, rmdir } from "node:fs/promises"
import { join } from "node:path"
import { AppError } from "@xionimus/kit"
import { resolveConfined } from "./confined-path.ts"
import { mapFileSystemError } from "./file-system-error.ts"

const temporarySuffix = ".xionimus-tmp"

/** Temp files carry this suffix; a crash may leave one behind, nothing else ever does. */
export function isTemporaryName(name: string): boolean {
  return name.startsWith(".") && name.endsWith(temporarySuffix)
}

/**
 * Writes `content` to a new temp file in `directory` (the target's own directory, so the rename that
 * follows is atomic). O_EXCL|O_NOFOLLOW: a name planted in between is never followed or reused.
 * On any failure the temp file is removed and the mapped error thrown.
 */
export async function writeTemporaryFile(
  directory: string,
  content: Uint8Array,
  options: { display: string; mode?: number },
): Promise<string> {
  const path = join(directory, `.${randomBytes(8).toString("hex")}${temporarySuffix}`)
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW
  let handle: Awaited<ReturnType<typeof open>> | undefined
  try {
    handle = await open(path, flags, options.mode ?? 0o644)
    await handle.writeFile(content)
    await handle.close()
    handle = undefined
    return path
  } catch (error) {
    await handle?.close().catch(() => {})
    await rm(path, { force: true }).catch(() => {})
    throw mapFileSystemError(error, options.display)
  }
}

/** Makes sure the directory named by `segments` exists inside the workspace (see createMissing). */
export async function ensureDirectory(
  workspace: string,
  segments: readonly string[],
  display: string,
  created: string[] = [],
): Promise<string> {
  const resolved = await resolveConfined(workspace, segments, { followFinal: true, display })
  if (resolved.stat) {
    if (!resolved.stat.isDirectory()) throw notDirectory(display)
    return resolved.absolute
  }
  return createMissing(resolved.existing, resolved.missing, display, created)
}

/**
 * Creates `missing` below the real directory `existing`, one mkdir at a time (never `recursive`,
 * which would follow a symlink planted in between). Every directory it creates is appended to
 * `created` so that a failed operation can take it away again.
 */
export async function createMissing(
  existing: string,
  missing: readonly string[],
  display: string,
  created: string[] = [],
): Promise<string> {
  let current = existing
  for (const segment of missing) {
    const next = join(current, segment)
    try {
      await mkdir(next, { mode: 0o755 })
      created.push(next)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw mapFileSystemError(error, display)
      // Someone else made it meanwhile: fine if it is a real directory, never if it is a link.
      const stat = await lstat(next)
      if (!stat.isDirectory()) throw notDirectory(display)
    }
    current = next
  }
  return current
}

/** Removes directories made by createMissing, deepest first; ones that gained content stay. */
export async function removeCreated(created: readonly string[]): Promise<void> {
  for (const directory of [...created].reverse()) await rmdir(directory).catch(() => {})
}

function notDirectory(display: string): AppError {
  return new AppError("NOT_A_DIRECTORY", `A part of "${display}" is a file, not a directory.`, {
    path: display,
  })
}
