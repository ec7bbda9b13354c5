import type { ProgressEvent } from "./types.ts"

const counted = /^([A-Za-z][A-Za-z ]*?):\s+(\d{1,3})%\s+\((\d+)\/(\d+)\)/
const labelled = /^([A-Za-z][A-Za-z ]*?):\s+(.*)$/

/**
 * Turns the stderr of `git clone --progress` into progress events. git redraws a progress line with
 * "\r" and ends it with "\n"; a server's lines come prefixed with "remote: ". Each phase ("receiving
 * objects", "resolving deltas", ...) reports its percentage, once per change. Returns a function to
 * feed text chunks to (a chunk may end in the middle of a line).
 */
export function createGitProgressParser(onProgress: (event: ProgressEvent) => void): (text: string) => void {
  let pending = ""
  const lastPercent = new Map<string, number>()

  function line(raw: string): void {
    const text = raw.replace(/^remote:\s*/, "").trim()
    if (text === "") return
    if (text.startsWith("Cloning into")) {
      onProgress({ phase: "cloning", message: text })
      return
    }
    const count = counted.exec(text)
    if (count) {
      const phase = phaseName(count[1]!)
      const percent = Number(count[2])
      if (lastPercent.get(phase) === percent) return
      lastPercent.set(phase, percent)
      onProgress({ phase, message: text, ratio: Math.min(percent, 100) / 100 })
      return
    }
    const label = labelled.exec(text)
    if (label && !/^(fatal|error|warning|hint)$/i.test(label[1]!)) {
      onProgress({ phase: phaseName(label[1]!), message: text })
    }
  }

  return (chunk) => {
    pending += chunk
    const parts = pending.split(/[\r\n]/)
    pending = parts.pop() ?? ""
    for (const part of parts) line(part)
  }
}

function phaseName(label: string): string {
  return label.trim().toLowerCase().replace(/\s+/g, "-")
}
