import { Writable } from "node:stream"

const levelNames: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO ",
  40: "WARN ",
  50: "ERROR",
  60: "FATAL",
}
const levelColours: Record<number, string> = { 40: "\u001b[33m", 50: "\u001b[31m", 60: "\u001b[35m" }
const dim = "\u001b[2m"
const reset = "\u001b[0m"
/** Fields every line has, or that are shown in their own place. */
const hidden = new Set(["level", "time", "pid", "hostname", "name", "msg", "v"])

/**
 * A log destination for people: turns pino's JSON lines into `12:00:01 INFO  message key=value`.
 * Colours only when `colour` is set (a terminal).
 */
export function prettyLogStream(destination: NodeJS.WritableStream, colour: boolean): Writable {
  let pending = ""
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      pending += chunk.toString("utf8")
      const lines = pending.split("\n")
      pending = lines.pop() ?? ""
      for (const line of lines) if (line) destination.write(`${formatLine(line, colour)}\n`)
      callback()
    },
  })
}

export function formatLine(line: string, colour: boolean): string {
  let record: Record<string, unknown>
  try {
    record = JSON.parse(line) as Record<string, unknown>
  } catch {
    return line
  }
  const level = typeof record.level === "number" ? record.level : 30
  const time = new Date(typeof record.time === "number" ? record.time : Date.now())
    .toISOString()
    .slice(11, 19)
  const fields = Object.entries(record)
    .filter(([key]) => !hidden.has(key))
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ")
  const name = levelNames[level] ?? String(level)
  const paint = (text: string, code: string | undefined) => (colour && code ? `${code}${text}${reset}` : text)
  const message = typeof record.msg === "string" ? record.msg : ""
  return [paint(time, dim), paint(name, levelColours[level]), message, fields && paint(fields, dim)]
    .filter(Boolean)
    .join(" ")
}
