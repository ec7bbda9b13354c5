import { constants, type Dirent } from "node:fs"
import { open, readdir } from "node:fs/promises"
import { join } from "node:path"
import { Readable } from "node:stream"
import { Zip, ZipDeflate, ZipPassThrough } from "fflate"
import { isTemporaryName } from "./atomic-write.ts"
import { mapFileSystemError } from "./file-system-error.ts"

/** Directories never exported: the project's own git data. */
const excludedDirectories = new Set([".git"])
const chunkBytes = 64 * 1024
const readFlags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK
// Zip timestamps are DOS dates: 1980 to 2107 (fflate accepts up to 2099).
const earliest = Date.UTC(1980, 0, 2)
const latest = Date.UTC(2099, 11, 30)

interface ZipItem {
  path: string
  absolute: string
  kind: "file" | "empty-directory"
}

/**
 * The project as a zip stream. Files are read one at a time in 64 KiB chunks and deflated as they
 * stream, so memory stays flat for any project size; the stream pulls the next chunk only when the
 * reader wants it. Symlinks and special files are left out (a link's target may lie outside the
 * project), as are `.git` directories and temp files of writes in progress. With `folder`, every entry
 * lies under that one top-level folder (as source archives usually do), which import strips again: a
 * project whose root holds a single folder survives the round trip.
 */
export function zipDirectory(workspace: () => Promise<string>, folder?: string): Readable {
  return Readable.from(zipChunks(workspace, folder ? `${folder}/` : ""), { objectMode: false })
}

async function* zipChunks(workspace: () => Promise<string>, prefix: string): AsyncGenerator<Buffer> {
  const root = await workspace()
  const output: Uint8Array[] = []
  let failure: unknown
  const zip = new Zip((error, data) => {
    if (error) failure = error
    else output.push(data)
  })
  function* drain(): Generator<Buffer> {
    if (failure) throw failure
    while (output.length > 0) {
      // A copy: fflate may hand out views of buffers it reuses.
      yield Buffer.from(output.shift()!)
    }
  }
  try {
    for await (const item of walk(root, "")) {
      if (item.kind === "empty-directory") {
        const entry = new ZipPassThrough(`${prefix}${item.path}/`)
        zip.add(entry)
        entry.push(new Uint8Array(0), true)
        yield* drain()
        continue
      }
      const handle = await open(item.absolute, readFlags).catch((error: unknown) => {
        throw mapFileSystemError(error, item.path)
      })
      try {
        const stat = await handle.stat()
        if (!stat.isFile()) continue
        const entry = new ZipDeflate(`${prefix}${item.path}`, { level: 6 })
        entry.mtime = Math.min(Math.max(stat.mtimeMs, earliest), latest)
        zip.add(entry)
        const buffer = Buffer.alloc(chunkBytes)
        for (;;) {
          const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null)
          if (bytesRead === 0) break
          // Deflate copies what it keeps, so the read buffer can be reused for the next chunk.
          entry.push(buffer.subarray(0, bytesRead))
          yield* drain()
        }
        entry.push(new Uint8Array(0), true)
        yield* drain()
      } finally {
        await handle.close()
      }
    }
    zip.end()
    yield* drain()
  } finally {
    zip.terminate()
  }
}

async function* walk(directory: string, prefix: string): AsyncGenerator<ZipItem> {
  let dirents: Dirent[]
  try {
    dirents = await readdir(directory, { withFileTypes: true })
  } catch (error) {
    throw mapFileSystemError(error, prefix)
  }
  dirents.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0))
  for (const dirent of dirents) {
    const path = prefix === "" ? dirent.name : `${prefix}/${dirent.name}`
    const absolute = join(directory, dirent.name)
    if (dirent.isDirectory()) {
      if (excludedDirectories.has(dirent.name)) continue
      let empty = true
      for await (const item of walk(absolute, path)) {
        empty = false
        yield item
      }
      if (empty) yield { path, absolute, kind: "empty-directory" }
    } else if (dirent.isFile() && !isTemporaryName(dirent.name)) {
      yield { path, absolute, kind: "file" }
    }
  }
}
