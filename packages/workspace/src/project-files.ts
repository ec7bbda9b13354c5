import type { BigIntStats } from "node:fs"
import { constants } from "node:fs"
import { link, lstat, mkdir, open, rename, rm, unlink } from "node:fs/promises"
import { dirname, sep } from "node:path"
import { AppError } from "@xionimus/kit"
import { createMissing, removeCreated, writeTemporaryFile } from "./atomic-write.ts"
import { type ConfinedPath, resolveConfined } from "./confined-path.ts"
import { toFileEntry, versionOf } from "./file-entry.ts"
import { lstatOrNull, mapFileSystemError, withPath } from "./file-system-error.ts"
import type { KeyedLock } from "./keyed-lock.ts"
import { listDirectory } from "./list-directory.ts"
import { joinSegments, parseRelativePath } from "./relative-path.ts"
import type { ProjectFiles, WorkspaceLimits } from "./types.ts"
import { writeMany } from "./write-many.ts"
import { zipDirectory } from "./zip-export.ts"

export interface ProjectFilesDependencies {
  /** The real path of the project's directory; raises PROJECT_NOT_FOUND when it is missing. */
  workspace: () => Promise<string>
  /** A directory on the same file system, outside every workspace, for staging uploads. */
  staging: () => Promise<string>
  limits: WorkspaceLimits
  /** Shared by every ProjectFiles of one manager, so that all writers of a path take turns. */
  lock: KeyedLock
}

const readFlags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK

export function createProjectFiles(dependencies: ProjectFilesDependencies): ProjectFiles {
  const { limits, lock } = dependencies

  async function locate(path: string, followFinal: boolean, allowRoot = false) {
    const segments = parseRelativePath(path, { allowRoot })
    const display = joinSegments(segments)
    const workspace = await dependencies.workspace()
    const resolved = await resolveConfined(workspace, segments, { followFinal, display })
    return { segments, display, workspace, resolved }
  }

  function checkFileSize(display: string, size: number): void {
    if (size > limits.maxFileBytes) {
      throw new AppError(
        "FILE_TOO_LARGE",
        `"${display}" has ${size} bytes; the limit per file is ${limits.maxFileBytes}.`,
        { path: display, size, limit: limits.maxFileBytes },
      )
    }
  }

  /** The directory a new final component goes into, created if needed (recorded in `created`). */
  async function parentOf(resolved: ConfinedPath, display: string, created: string[]): Promise<string> {
    if (resolved.stat) return dirname(resolved.absolute)
    await createMissing(resolved.existing, resolved.missing.slice(0, -1), display, created)
    return dirname(resolved.absolute)
  }

  return {
    async list(dir, options) {
      const { display, resolved } = await locate(dir, true, true)
      if (!existing(resolved, display).isDirectory()) {
        throw new AppError("NOT_A_DIRECTORY", `"${display}" is a file, not a directory.`, { path: display })
      }
      return listDirectory(resolved.absolute, display, options)
    },

    async stat(path) {
      const { display, resolved } = await locate(path, false)
      return toFileEntry(display, existing(resolved, display))
    },

    async read(path) {
      const { display, resolved } = await locate(path, true)
      if (existing(resolved, display).isDirectory()) throw notAFile(display)
      return withPath(display, async () => {
        const handle = await open(resolved.absolute, readFlags)
        try {
          const stat = await handle.stat({ bigint: true })
          if (!stat.isFile()) throw notAFile(display)
          checkFileSize(display, Number(stat.size))
          const content = await handle.readFile()
          return { entry: toFileEntry(display, stat), content }
        } finally {
          await handle.close()
        }
      })
    },

    async write(path, content, options = {}) {
      const { display, resolved } = await locate(path, true)
      checkFileSize(display, content.byteLength)
      const expected = options.expectedVersion
      checkVersion(resolved.stat, expected, display)
      if (resolved.stat?.isDirectory()) throw notAFile(display)
      const created: string[] = []
      let temporary: string | undefined
      try {
        const directory = await parentOf(resolved, display, created)
        const mode = resolved.stat ? Number(resolved.stat.mode & 0o7777n) : undefined
        temporary = await writeTemporaryFile(directory, content, { display, mode })
        const staged = temporary
        return await lock.run([resolved.absolute], async () => {
          const current = await lstatOrNull(resolved.absolute)
          checkVersion(current, expected, display)
          if (current?.isDirectory()) throw notAFile(display)
          // link() fails when the name exists, so "must not exist" holds even against other processes.
          if (expected === null) await linkNew(staged, resolved.absolute, display, true)
          else await rename(staged, resolved.absolute)
          return toFileEntry(display, await lstat(resolved.absolute, { bigint: true }))
        })
      } catch (error) {
        if (temporary) await rm(temporary, { force: true })
        await removeCreated(created)
        throw mapFileSystemError(error, display)
      }
    },

    async create(path, type, content = new Uint8Array()) {
      const { display, resolved } = await locate(path, false)
      if (resolved.stat) throw exists(display)
      if (type === "file") checkFileSize(display, content.byteLength)
      const created: string[] = []
      let temporary: string | undefined
      try {
        const directory = await parentOf(resolved, display, created)
        if (type === "directory") {
          await mkdir(resolved.absolute, { mode: 0o755 })
        } else {
          temporary = await writeTemporaryFile(directory, content, { display })
          await linkNew(temporary, resolved.absolute, display, false)
        }
        return toFileEntry(display, await lstat(resolved.absolute, { bigint: true }))
      } catch (error) {
        if (temporary) await rm(temporary, { force: true })
        await removeCreated(created)
        throw mapFileSystemError(error, display)
      }
    },

    async move(from, to, options = {}) {
      const source = await locate(from, false)
      const target = await locate(to, false)
      const sourceStat = existing(source.resolved, source.display)
      if (target.resolved.absolute === source.resolved.absolute) {
        return toFileEntry(target.display, sourceStat)
      }
      const into = target.resolved.absolute.startsWith(source.resolved.absolute + sep)
      // Overwriting a directory that holds the source would delete the source first.
      const over = source.resolved.absolute.startsWith(target.resolved.absolute + sep)
      if (into || over) {
        throw new AppError(
          "PATH_INVALID",
          `"${source.display}" cannot be moved ${into ? "into itself" : "over a folder that holds it"} ("${target.display}").`,
          { from: source.display, to: target.display },
        )
      }
      if (target.resolved.stat && !options.overwrite) throw exists(target.display)
      const created: string[] = []
      try {
        await parentOf(target.resolved, target.display, created)
        return await lock.run([source.resolved.absolute, target.resolved.absolute], async () => {
          const current = await lstatOrNull(target.resolved.absolute)
          if (current && !options.overwrite) throw exists(target.display)
          // rename() replaces a file with a file atomically; anything involving a directory needs the
          // old entry removed first.
          if (current && (current.isDirectory() || sourceStat.isDirectory())) {
            await rm(target.resolved.absolute, { recursive: true })
          }
          await rename(source.resolved.absolute, target.resolved.absolute)
          return toFileEntry(target.display, await lstat(target.resolved.absolute, { bigint: true }))
        })
      } catch (error) {
        await removeCreated(created)
        throw mapFileSystemError(error, target.display)
      }
    },

    async remove(path) {
      const { display, resolved } = await locate(path, false)
      const stat = existing(resolved, display)
      await withPath(display, () =>
        lock.run([resolved.absolute], () =>
          // rm does not follow symlinks inside the tree; a final symlink is removed as itself.
          stat.isDirectory() ? rm(resolved.absolute, { recursive: true }) : unlink(resolved.absolute),
        ),
      )
    },

    async writeMany(files) {
      return writeMany(files, {
        workspace: await dependencies.workspace(),
        staging: await dependencies.staging(),
        limits,
        lock,
      })
    },

    zip(options = {}) {
      return zipDirectory(dependencies.workspace, options.folder)
    },

    async resolve(path) {
      const { resolved } = await locate(path, true, true)
      return resolved.absolute
    },
  }
}

function existing(resolved: ConfinedPath, display: string): BigIntStats {
  if (!resolved.stat) {
    throw new AppError("FILE_NOT_FOUND", `Nothing exists at "${display}". List the directory first.`, {
      path: display,
    })
  }
  return resolved.stat
}

function checkVersion(current: BigIntStats | null, expected: string | null | undefined, display: string) {
  if (expected === undefined) return
  const actual = current ? versionOf(current) : null
  if (actual !== expected) {
    throw new AppError(
      "VERSION_CONFLICT",
      `"${display}" changed since you read it. Read it again and apply your change to the new content.`,
      { path: display, expectedVersion: expected, currentVersion: actual },
    )
  }
}

/** Publishes a staged temp file under a name that must not exist yet, then drops the temp name. */
async function linkNew(temporary: string, absolute: string, display: string, asConflict: boolean) {
  try {
    await link(temporary, absolute)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
    if (asConflict) checkVersion(await lstatOrNull(absolute), null, display)
    throw exists(display)
  } finally {
    await rm(temporary, { force: true })
  }
}

function exists(display: string): AppError {
  return new AppError("FILE_EXISTS", `Something already exists at "${display}". Choose another name.`, {
    path: display,
  })
}

function notAFile(display: string): AppError {
  return new AppError(
    "NOT_A_FILE",
    `"${display}" is not a regular file (it is a directory or special file).`,
    {
      path: display,
    },
  )
}
