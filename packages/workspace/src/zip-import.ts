import { constants } from "node:fs"
import { mkdir, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { AppError } from "@xionimus/kit"
import { mapFileSystemError } from "./file-system-error.ts"
import type { ProgressEvent, WorkspaceLimits } from "./types.ts"
import { invalid, readCentralDirectory, readEntry, type ZipEntry } from "./zip-reader.ts"

const createFlags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW

interface Planned {
  segments: string[]
  entry: ZipEntry
}

/**
 * Extracts a zip into `target`, a fresh directory nobody else writes to (the caller removes it on
 * failure). Everything is checked before the first byte is written: entry names (no absolute
 * paths, `..`, backslashes or NUL — "zip slip"), no symlink or device entries, no encryption, and the
 * declared file count and sizes against the limits. Each entry is then inflated with its declared
 * size as a hard cap and its checksum verified. If every entry sits in one top-level folder (as
 * GitHub's archives do), that folder is dropped. `.git` directories and macOS `__MACOSX` folders are
 * left out.
 */
export async function extractZip(
  data: Uint8Array,
  target: string,
  limits: WorkspaceLimits,
  onProgress?: (event: ProgressEvent) => void,
): Promise<void> {
  if (data.byteLength > limits.maxUploadBytes) {
    throw tooLarge(`The archive has ${data.byteLength} bytes; the limit is ${limits.maxUploadBytes}.`)
  }
  const planned = plan(readCentralDirectory(data), limits)
  const files = planned.filter((item) => item.entry.kind === "file")
  let written = 0
  for (const item of planned) {
    const path = join(target, ...item.segments)
    try {
      if (item.entry.kind === "directory") {
        await mkdir(path, { recursive: true, mode: 0o755 })
        continue
      }
      await mkdir(join(target, ...item.segments.slice(0, -1)), { recursive: true, mode: 0o755 })
      const executable = item.entry.mode !== undefined && (item.entry.mode & 0o111) !== 0
      await writeFile(path, readEntry(data, item.entry), {
        flag: createFlags,
        mode: executable ? 0o755 : 0o644,
      })
    } catch (error) {
      throw mapFileSystemError(error, item.segments.join("/"))
    }
    written += 1
    onProgress?.({ phase: "extracting", message: item.segments.join("/"), ratio: written / files.length })
  }
}

function plan(entries: readonly ZipEntry[], limits: WorkspaceLimits): Planned[] {
  const parsed = entries
    .filter((entry) => !entry.name.startsWith("__MACOSX/"))
    .map((entry) => ({ entry, segments: entryPath(entry) }))
    // A .git directory from an archive could carry hooks or a config (core.fsmonitor, ...) that run
    // commands when git later runs in the workspace on the host; history comes in through git import.
    .filter((item) => !item.segments.includes(".git"))
  const files = parsed.filter((item) => item.entry.kind === "file")
  if (files.length > limits.maxUploadFiles) {
    throw tooLarge(`The archive holds ${files.length} files; the limit is ${limits.maxUploadFiles}.`)
  }
  let total = 0
  for (const { entry } of files) {
    if (entry.size > limits.maxFileBytes) {
      throw new AppError(
        "FILE_TOO_LARGE",
        `"${entry.name}" has ${entry.size} bytes; the limit per file is ${limits.maxFileBytes}.`,
        { path: entry.name, size: entry.size, limit: limits.maxFileBytes },
      )
    }
    total += entry.size
  }
  if (total > limits.maxUploadBytes) {
    throw tooLarge(`The archive unpacks to ${total} bytes; the limit is ${limits.maxUploadBytes}.`)
  }
  const stripped = stripCommonFolder(parsed)
  const seen = new Map<string, ZipEntry["kind"]>()
  for (const { segments, entry } of stripped) {
    const path = segments.join("/")
    if (seen.has(path)) throw invalid(`the path "${path}" twice`)
    seen.set(path, entry.kind)
  }
  for (const { segments } of stripped) {
    for (let length = 1; length < segments.length; length += 1) {
      if (seen.get(segments.slice(0, length).join("/")) === "file") {
        throw invalid(`"${segments.slice(0, length).join("/")}" as a file and as a folder`)
      }
    }
  }
  return stripped
}

function entryPath(entry: ZipEntry): string[] {
  const { name } = entry
  if (entry.kind === "symlink") throw invalid(`a symlink entry ("${name}")`)
  if (entry.kind === "special") throw invalid(`a device or pipe entry ("${name}")`)
  if (entry.encrypted) throw invalid(`an encrypted entry ("${name}")`)
  if (name.includes("\0")) throw invalid("an entry name with a NUL byte")
  if (name.includes("\\")) throw invalid(`an entry name with a backslash ("${name}")`)
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) throw invalid(`an absolute entry path ("${name}")`)
  const segments = name.split("/").filter((segment) => segment !== "" && segment !== ".")
  if (segments.includes("..")) throw invalid(`an entry path with '..' ("${name}")`)
  if (segments.length === 0 && entry.kind !== "directory") throw invalid("an entry without a name")
  return segments
}

function stripCommonFolder(items: Planned[]): Planned[] {
  const nested = items.filter((item) => item.segments.length > 0)
  const first = nested[0]?.segments[0]
  const shared =
    first !== undefined &&
    nested.every((item) => item.segments[0] === first) &&
    nested.every((item) => item.segments.length > 1 || item.entry.kind === "directory") &&
    nested.some((item) => item.segments.length > 1)
  const result = shared ? items.map((item) => ({ ...item, segments: item.segments.slice(1) })) : items
  return result.filter((item) => item.segments.length > 0)
}

function tooLarge(message: string): AppError {
  return new AppError("UPLOAD_TOO_LARGE", `${message} Import a smaller archive.`)
}
