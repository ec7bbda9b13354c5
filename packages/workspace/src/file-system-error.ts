import type { BigIntStats } from "node:fs"
import { lstat } from "node:fs/promises"
import { AppError, fromSystemError, isAppError } from "@xionimus/kit"

/**
 * Turns a Node file-system error into the AppError a user can act on. Storage problems (ENOSPC,
 * EROFS, EACCES) go through kit's fromSystemError; the rest name the path. Anything unknown is
 * returned unchanged so the edge reports it as INTERNAL with its stack.
 */
export function mapFileSystemError(error: unknown, path: string): unknown {
  if (isAppError(error)) return error
  const storage = fromSystemError(error, { path })
  if (storage) return storage
  const details = { path }
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case "ENOENT":
      return new AppError(
        "FILE_NOT_FOUND",
        `Nothing exists at "${path}". List the directory first.`,
        details,
        {
          cause: error,
        },
      )
    case "EEXIST":
      return new AppError("FILE_EXISTS", `Something already exists at "${path}".`, details, { cause: error })
    case "ENOTDIR":
      return new AppError("NOT_A_DIRECTORY", `A part of "${path}" is a file, not a directory.`, details, {
        cause: error,
      })
    case "EISDIR":
      return new AppError("NOT_A_FILE", `"${path}" is a directory, not a file.`, details, { cause: error })
    case "ENOTEMPTY":
      return new AppError("DIRECTORY_NOT_EMPTY", `The directory "${path}" is not empty.`, details, {
        cause: error,
      })
    case "ENAMETOOLONG":
      return new AppError("PATH_INVALID", `The path "${path}" or one of its names is too long.`, details, {
        cause: error,
      })
    case "ELOOP":
      // Only O_NOFOLLOW raises this here: the final component became a symlink after it was checked.
      return new AppError(
        "PATH_OUTSIDE_WORKSPACE",
        `"${path}" turned into a symlink while it was being opened; it was not followed.`,
        details,
        { cause: error },
      )
    default:
      return error
  }
}

/** Runs `action` and rethrows its error mapped for `path`. */
export async function withPath<T>(path: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action()
  } catch (error) {
    throw mapFileSystemError(error, path)
  }
}

/** lstat with bigint times, or null when nothing is there. */
export async function lstatOrNull(path: string): Promise<BigIntStats | null> {
  try {
    return await lstat(path, { bigint: true })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null
    throw error
  }
}
