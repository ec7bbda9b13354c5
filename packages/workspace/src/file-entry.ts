import type { BigIntStats } from "node:fs"
import type { FileEntry } from "./types.ts"

/**
 * The version of a file as it is on disk: inode, modification time in nanoseconds and size. Every
 * write here goes through a temp file and rename, so even a same-size write in the same nanosecond
 * gets a new inode and therefore a new version.
 */
export function versionOf(stat: BigIntStats): string {
  return `${stat.ino.toString(36)}.${stat.mtimeNs.toString(36)}.${stat.size.toString(36)}`
}

export function typeOf(stat: BigIntStats): FileEntry["type"] {
  if (stat.isSymbolicLink()) return "symlink"
  return stat.isDirectory() ? "directory" : "file"
}

/** `path` is the project-relative path as the caller named it (not where a symlink led). */
export function toFileEntry(path: string, stat: BigIntStats): FileEntry {
  const type = typeOf(stat)
  const slash = path.lastIndexOf("/")
  return {
    path,
    name: slash === -1 ? path : path.slice(slash + 1),
    type,
    size: type === "directory" ? 0 : Number(stat.size),
    modifiedAt: new Date(Number(stat.mtimeNs / 1_000_000n)).toISOString(),
    version: versionOf(stat),
  }
}
