import type { Dirent } from "node:fs"
import { lstat, readdir } from "node:fs/promises"
import { join } from "node:path"
import { AppError } from "@xionimus/kit"
import { toFileEntry } from "./file-entry.ts"
import { mapFileSystemError } from "./file-system-error.ts"
import type { FileEntry } from "./types.ts"

interface SortKey {
  /** 0 for directories so that they come first. */
  rank: number
  name: string
}

/**
 * One page of a directory, directories first, then by name (code-unit order, the same on every
 * machine). The cursor names the last entry returned rather than an offset, so a file created or
 * deleted between two pages does not shift the next page.
 */
export async function listDirectory(
  absolute: string,
  display: string,
  options: { limit: number; cursor?: string },
): Promise<{ entries: FileEntry[]; nextCursor: string | null }> {
  if (!Number.isInteger(options.limit) || options.limit < 1) {
    throw new AppError("VALIDATION_FAILED", "The page limit must be a whole number of at least 1.", {
      limit: options.limit,
    })
  }
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor)
  let dirents: Dirent[]
  try {
    dirents = await readdir(absolute, { withFileTypes: true })
  } catch (error) {
    throw mapFileSystemError(error, display)
  }
  const keys = dirents
    .map((dirent) => ({ rank: dirent.isDirectory() ? 0 : 1, name: dirent.name }))
    .sort(compareKeys)
  const start = after === undefined ? 0 : firstAfter(keys, after)
  const page = keys.slice(start, start + options.limit)
  const entries: FileEntry[] = []
  for (const key of page) {
    try {
      const stat = await lstat(join(absolute, key.name), { bigint: true })
      entries.push(toFileEntry(display === "" ? key.name : `${display}/${key.name}`, stat))
    } catch (error) {
      // Deleted between readdir and lstat: it is simply not there any more.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw mapFileSystemError(error, display)
    }
  }
  const last = page.at(-1)
  const nextCursor = start + options.limit < keys.length && last ? encodeCursor(last) : null
  return { entries, nextCursor }
}

function compareKeys(left: SortKey, right: SortKey): number {
  if (left.rank !== right.rank) return left.rank - right.rank
  if (left.name === right.name) return 0
  return left.name < right.name ? -1 : 1
}

function firstAfter(keys: readonly SortKey[], after: SortKey): number {
  const index = keys.findIndex((key) => compareKeys(key, after) > 0)
  return index === -1 ? keys.length : index
}

function encodeCursor(key: SortKey): string {
  return Buffer.from(`${key.rank}/${key.name}`, "utf8").toString("base64url")
}

function decodeCursor(cursor: string): SortKey {
  const text = Buffer.from(cursor, "base64url").toString("utf8")
  const rank = text.slice(0, 1)
  if ((rank !== "0" && rank !== "1") || text[1] !== "/" || text.length < 3) {
    throw new AppError("VALIDATION_FAILED", "The cursor is not valid. Start again from the first page.", {
      cursor,
    })
  }
  return { rank: Number(rank), name: text.slice(2) }
}
