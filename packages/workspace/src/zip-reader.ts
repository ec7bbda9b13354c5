import { crc32, inflateRawSync } from "node:zlib"
import { AppError } from "@xionimus/kit"

/** One entry of a zip's central directory, as declared (not yet trusted). */
export interface ZipEntry {
  name: string
  kind: "file" | "directory" | "symlink" | "special"
  /** Unix permission bits when the archive was made on Unix. */
  mode: number | undefined
  method: number
  encrypted: boolean
  crc: number
  compressedSize: number
  size: number
  localOffset: number
}

const signatures = {
  end: 0x06054b50,
  end64: 0x06064b50,
  end64Locator: 0x07064b50,
  central: 0x02014b50,
  local: 0x04034b50,
}
const unixHost = 3
const typeMask = 0o170000

/**
 * Reads the central directory of a zip held in memory. fflate's unzip does not expose the
 * external attributes, which is where a symlink entry shows, so the directory is parsed here;
 * sizes are the declared ones and every extracted entry is checked against them (readEntry).
 */
export function readCentralDirectory(data: Uint8Array): ZipEntry[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const end = findEnd(view)
  let count = view.getUint16(end + 10, true)
  let offset = view.getUint32(end + 16, true)
  if (count === 0xffff || offset === 0xffffffff) {
    const locator = end - 20
    if (locator < 0 || view.getUint32(locator, true) !== signatures.end64Locator)
      throw invalid("a broken zip64 end")
    const end64 = safeNumber(view.getBigUint64(locator + 8, true))
    if (end64 + 56 > view.byteLength || view.getUint32(end64, true) !== signatures.end64) {
      throw invalid("a broken zip64 end record")
    }
    count = safeNumber(view.getBigUint64(end64 + 32, true))
    offset = safeNumber(view.getBigUint64(end64 + 48, true))
  }
  const entries: ZipEntry[] = []
  let position = offset
  for (let index = 0; index < count; index += 1) {
    if (position + 46 > view.byteLength || view.getUint32(position, true) !== signatures.central) {
      throw invalid("a damaged central directory")
    }
    const madeBy = view.getUint16(position + 4, true) >> 8
    const flags = view.getUint16(position + 8, true)
    const nameLength = view.getUint16(position + 28, true)
    const extraLength = view.getUint16(position + 30, true)
    const commentLength = view.getUint16(position + 32, true)
    const attributes = view.getUint32(position + 38, true)
    const nameStart = position + 46
    if (nameStart + nameLength + extraLength > view.byteLength) throw invalid("a damaged central directory")
    const name = new TextDecoder().decode(data.subarray(nameStart, nameStart + nameLength))
    const sizes = {
      size: view.getUint32(position + 24, true),
      compressedSize: view.getUint32(position + 20, true),
      localOffset: view.getUint32(position + 42, true),
    }
    readZip64Extra(view, nameStart + nameLength, extraLength, sizes)
    const unixMode = madeBy === unixHost ? attributes >>> 16 : undefined
    entries.push({
      name,
      kind: kindOf(name, unixMode, attributes),
      mode: unixMode === undefined ? undefined : unixMode & 0o777,
      method: view.getUint16(position + 10, true),
      encrypted: (flags & 1) === 1,
      crc: view.getUint32(position + 16, true),
      ...sizes,
    })
    position = nameStart + nameLength + extraLength + commentLength
  }
  return entries
}

/** The entry's bytes, refusing anything that does not match what the directory declared. */
export function readEntry(data: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const local = entry.localOffset
  if (local + 30 > view.byteLength || view.getUint32(local, true) !== signatures.local) {
    throw invalid(`a damaged entry "${entry.name}"`)
  }
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true)
  if (start + entry.compressedSize > view.byteLength) throw invalid(`a truncated entry "${entry.name}"`)
  const raw = data.subarray(start, start + entry.compressedSize)
  let content: Uint8Array
  if (entry.method === 0) content = raw
  else if (entry.method === 8) {
    try {
      // maxOutputLength stops a zip bomb that declares a small size at the declared size.
      content = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) })
    } catch {
      throw invalid(`an entry that does not inflate to its declared size ("${entry.name}")`)
    }
  } else
    throw invalid(`"${entry.name}" compressed with method ${entry.method} (only stored and deflate work)`)
  if (content.byteLength !== entry.size || crc32(content) !== entry.crc) {
    throw invalid(`an entry whose content does not match its checksum ("${entry.name}")`)
  }
  return content
}

function findEnd(view: DataView): number {
  const lowest = Math.max(0, view.byteLength - 22 - 0xffff)
  for (let position = view.byteLength - 22; position >= lowest; position -= 1) {
    if (view.getUint32(position, true) === signatures.end) return position
  }
  throw invalid("no end of central directory (not a zip file)")
}

function readZip64Extra(
  view: DataView,
  start: number,
  length: number,
  sizes: { size: number; compressedSize: number; localOffset: number },
): void {
  let position = start
  while (position + 4 <= start + length) {
    const id = view.getUint16(position, true)
    const size = view.getUint16(position + 2, true)
    if (id === 0x0001) {
      let field = position + 4
      for (const key of ["size", "compressedSize", "localOffset"] as const) {
        if (sizes[key] !== 0xffffffff) continue
        if (field + 8 > position + 4 + size) throw invalid("a broken zip64 field")
        sizes[key] = safeNumber(view.getBigUint64(field, true))
        field += 8
      }
      return
    }
    position += 4 + size
  }
}

function kindOf(name: string, unixMode: number | undefined, attributes: number): ZipEntry["kind"] {
  const type = unixMode === undefined ? 0 : unixMode & typeMask
  if (type === 0o120000) return "symlink"
  if (name.endsWith("/") || type === 0o040000 || (attributes & 0x10) === 0x10) return "directory"
  if (type === 0 || type === 0o100000) return "file"
  return "special"
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid("a size too large to be real")
  return Number(value)
}

export function invalid(reason: string): AppError {
  return new AppError("ZIP_INVALID", `The archive cannot be imported: it has ${reason}.`, { reason })
}
