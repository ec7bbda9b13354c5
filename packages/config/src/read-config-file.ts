import { readFile } from "node:fs/promises"
import type { ConfigProblem } from "./config-problem.ts"

export type ConfigFileResult =
  | { kind: "missing" }
  | { kind: "read"; value: Record<string, unknown> }
  | { kind: "invalid"; problem: ConfigProblem }

function isViablePrefix(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch (error) {
    // A fault reported at the very end (or with no position, as "Unexpected end") means that the
    // prefix is only cut short: some continuation would still be valid JSON.
    const message = (error as Error).message
    const position = /at position (\d+)/.exec(message)?.[1]
    return message.startsWith("Unexpected end of JSON input") || Number(position) >= text.length
  }
}

// V8 names the position of some JSON errors but not of others ("Unexpected token 'x', ... is not
// valid JSON"). A prefix that contains the fault is invalid for every longer prefix too, so a
// binary search over prefixes finds the offending character for every kind of error.
function errorOffset(text: string): number {
  let low = 0
  let high = text.length
  while (low < high) {
    const middle = Math.ceil((low + high) / 2)
    if (isViablePrefix(text.slice(0, middle))) low = middle
    else high = middle - 1
  }
  return low
}

function jsonProblem(text: string, error: Error, source: string): ConfigProblem {
  const offset = errorOffset(text)
  const before = text.slice(0, offset).split("\n")
  const line = before.length
  const column = before.at(-1)!.length + 1
  const reason = error.message.replace(/ in JSON at position.*$|, ".*" is not valid JSON$/s, "")
  const expected = reason.startsWith("Expected ")
    ? `valid JSON (${reason[0]!.toLowerCase()}${reason.slice(1)})`
    : "valid JSON"
  const window = text.slice(offset, offset + 30)
  const newline = window.indexOf("\n", 1)
  const snippet = (newline > 0 ? window.slice(0, newline) : window)
    .replace(/\p{Cc}/gu, (character) => JSON.stringify(character).slice(1, -1))
    .trimEnd()
  const received = offset >= text.trimEnd().length ? "the end of the file" : `'${snippet}'`
  return { source, path: "", expected, received, line, column }
}

/** Reads one JSON configuration file; a missing file is no error, a corrupt one is a problem with its position. */
export async function readConfigFile(file: string, source: string): Promise<ConfigFileResult> {
  let text: string
  try {
    text = await readFile(file, "utf8")
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" }
    const problem = { source, path: "", expected: "a readable file", received: (error as Error).message }
    return { kind: "invalid", problem }
  }
  if (text.startsWith("\uFEFF")) text = text.slice(1)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { kind: "invalid", problem: jsonProblem(text, error as Error, source) }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const received = Array.isArray(value) ? "an array" : JSON.stringify(value)
    return { kind: "invalid", problem: { source, path: "", expected: "a JSON object", received } }
  }
  return { kind: "read", value: value as Record<string, unknown> }
}
