export interface TruncationLimits {
  maxLines: number
  maxBytes: number
}

export const defaultTruncation: TruncationLimits = { maxLines: 2000, maxBytes: 50 * 1024 }

/** Which end of the output is kept: the head for files and searches, the tail for command output. */
export type TruncationSide = "head" | "tail"

export interface Truncated {
  text: string
  truncated: boolean
  /** Lines and bytes of the whole output. */
  totalLines: number
  totalBytes: number
  /** Lines kept (whole lines only). */
  keptLines: number
}

/**
 * Keeps the head of `text` within both limits, cutting only between lines (a single line longer than
 * the byte limit is cut inside, at a character boundary).
 */
export function truncateOutput(
  text: string,
  limits: TruncationLimits = defaultTruncation,
  side: TruncationSide = "head",
): Truncated {
  const totalBytes = Buffer.byteLength(text, "utf8")
  const lines = text.split("\n")
  const totalLines = text.endsWith("\n") ? lines.length - 1 : lines.length
  if (totalLines <= limits.maxLines && totalBytes <= limits.maxBytes) {
    return { text, truncated: false, totalLines, totalBytes, keptLines: totalLines }
  }
  const ordered = side === "head" ? lines : lines.reverse()
  const kept: string[] = []
  let bytes = 0
  for (const line of ordered.slice(0, limits.maxLines)) {
    const size = Buffer.byteLength(line, "utf8") + 1
    if (bytes + size > limits.maxBytes) {
      if (kept.length === 0) kept.push(cutToBytes(line, limits.maxBytes, side))
      break
    }
    kept.push(line)
    bytes += size
  }
  if (side === "tail") kept.reverse()
  return { text: kept.join("\n"), truncated: true, totalLines, totalBytes, keptLines: kept.length }
}

/** The note appended to a cut output, telling the model how to get at the rest. */
export function truncationNote(result: Truncated, hint: string, side: TruncationSide = "head"): string {
  const kilobytes = Math.ceil(result.totalBytes / 1024)
  const which = side === "head" ? "the first" : "the last"
  return `[Output truncated: showing ${which} ${result.keptLines} of ${result.totalLines} lines (${kilobytes} KB in all). ${hint}]`
}

/** The output as the model reads it: the kept part with the note after a head, before a tail. */
export function withTruncationNote(result: Truncated, hint: string, side: TruncationSide = "head"): string {
  if (!result.truncated) return result.text
  const note = truncationNote(result, hint, side)
  return side === "head" ? `${result.text}\n\n${note}` : `${note}\n\n${result.text}`
}

function cutToBytes(text: string, maxBytes: number, side: TruncationSide): string {
  const buffer = Buffer.from(text, "utf8")
  const part = side === "head" ? buffer.subarray(0, maxBytes) : buffer.subarray(buffer.length - maxBytes)
  // A cut inside a multi-byte character decodes to U+FFFD at the cut; drop it.
  return part.toString("utf8").replace(side === "head" ? /\uFFFD$/ : /^\uFFFD/, "")
}
