import { randomBytes } from "node:crypto"
import { constants } from "node:fs"
import { link, lstat, mkdir, rename, rm, unlink, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { AppError } from "@xionimus/kit"
import { createMissing, removeCreated } from "./atomic-write.ts"
import { type ConfinedPath, resolveConfined } from "./confined-path.ts"
import { toFileEntry } from "./file-entry.ts"
import { lstatOrNull, mapFileSystemError } from "./file-system-error.ts"
import type { KeyedLock } from "./keyed-lock.ts"
import { joinSegments, parseRelativePath } from "./relative-path.ts"
import type { FileEntry, WorkspaceLimits } from "./types.ts"

interface Planned {
  display: string
  content: Uint8Array
  resolved: ConfinedPath
}

const stagedFlags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW

/**
 * Writes many files as one unit (an upload): every path, size and the count are checked before
 * anything is written; the contents are staged outside the workspace; only then are they renamed
 * into place. If anything fails, files that were replaced get their old content back (kept as hard
 * links while the batch runs), new files and directories are removed, and the staging goes away.
 */
export async function writeMany(
  files: readonly { path: string; content: Uint8Array }[],
  context: { workspace: string; staging: string; limits: WorkspaceLimits; lock: KeyedLock },
): Promise<FileEntry[]> {
  const planned = await plan(files, context.workspace, context.limits)
  if (planned.length === 0) return []
  const batch = join(context.staging, `upload-${randomBytes(8).toString("hex")}`)
  const applied: { item: Planned; backup: string | null }[] = []
  const created: string[] = []
  let failedAt = ""
  try {
    await mkdir(batch, { mode: 0o700 })
    for (const [index, item] of planned.entries()) {
      failedAt = item.display
      await writeFile(join(batch, String(index)), item.content, { flag: stagedFlags, mode: 0o644 })
    }
    return await context.lock.run(
      planned.map((item) => item.resolved.absolute),
      async () => {
        for (const [index, item] of planned.entries()) {
          const { resolved } = item
          failedAt = item.display
          if (!resolved.stat)
            await createMissing(resolved.existing, resolved.missing.slice(0, -1), item.display, created)
          const current = await lstatOrNull(resolved.absolute)
          if (current?.isDirectory()) throw notAFile(item.display)
          const backup = current ? join(batch, `backup-${index}`) : null
          if (backup) await link(resolved.absolute, backup)
          await rename(join(batch, String(index)), resolved.absolute)
          applied.push({ item, backup })
        }
        const entries: FileEntry[] = []
        for (const item of planned) {
          entries.push(toFileEntry(item.display, await lstat(item.resolved.absolute, { bigint: true })))
        }
        return entries
      },
    )
  } catch (error) {
    for (const { item, backup } of applied.reverse()) {
      if (backup) await rename(backup, item.resolved.absolute).catch(() => {})
      else await unlink(item.resolved.absolute).catch(() => {})
    }
    await removeCreated(created)
    throw mapFileSystemError(error, failedAt)
  } finally {
    await rm(batch, { recursive: true, force: true })
  }
}

async function plan(
  files: readonly { path: string; content: Uint8Array }[],
  workspace: string,
  limits: WorkspaceLimits,
): Promise<Planned[]> {
  if (files.length > limits.maxUploadFiles) {
    throw tooLarge(`The upload has ${files.length} files; the limit is ${limits.maxUploadFiles}.`, {
      files: files.length,
      limit: limits.maxUploadFiles,
    })
  }
  let total = 0
  const byPath = new Map<string, string[]>()
  for (const file of files) {
    const segments = parseRelativePath(file.path)
    const display = joinSegments(segments)
    const size = file.content.byteLength
    if (size > limits.maxFileBytes) {
      throw new AppError(
        "FILE_TOO_LARGE",
        `"${display}" has ${size} bytes; the limit per file is ${limits.maxFileBytes}.`,
        { path: display, size, limit: limits.maxFileBytes },
      )
    }
    total += size
    if (byPath.has(display)) throw conflict(`"${display}" is in the upload twice.`, display)
    byPath.set(display, segments)
  }
  if (total > limits.maxUploadBytes) {
    throw tooLarge(`The upload has ${total} bytes; the limit is ${limits.maxUploadBytes}.`, {
      size: total,
      limit: limits.maxUploadBytes,
    })
  }
  for (const segments of byPath.values()) {
    for (let length = 1; length < segments.length; length += 1) {
      const parent = joinSegments(segments.slice(0, length))
      if (byPath.has(parent)) throw conflict(`"${parent}" is uploaded as a file and as a folder.`, parent)
    }
  }
  const planned: Planned[] = []
  const targets = new Set<string>()
  for (const [index, [display, segments]] of [...byPath].entries()) {
    const resolved = await resolveConfined(workspace, segments, { followFinal: true, display })
    if (resolved.stat?.isDirectory()) throw notAFile(display)
    // Two names reaching one file through a symlink would make the rollback restore the wrong content.
    if (targets.has(resolved.absolute))
      throw conflict(`"${display}" names a file already in the upload.`, display)
    targets.add(resolved.absolute)
    planned.push({ display, content: files[index]!.content, resolved })
  }
  return planned
}

function tooLarge(message: string, details: Record<string, number>): AppError {
  return new AppError("UPLOAD_TOO_LARGE", `${message} Upload fewer or smaller files.`, details)
}

function conflict(message: string, path: string): AppError {
  return new AppError("PATH_INVALID", message, { path })
}

function notAFile(display: string): AppError {
  return new AppError("NOT_A_FILE", `"${display}" is a directory; a file cannot replace it.`, {
    path: display,
  })
}
