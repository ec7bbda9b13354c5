import { AppError } from "@xionimus/kit"

/** One thing wrong with one value of one configuration layer. */
export interface ConfigProblem {
  /** Where the value came from: a file path (`~` for the home directory), an env var name or a flag. */
  source: string
  /** Dotted key path inside the configuration (`server.port`); empty for the file as a whole. */
  path: string
  /** The form the value must have, for a person (`an integer 0–65535`). */
  expected: string
  /** What was found, shown as text; secrets are redacted. */
  received: string
  /** Position in a file that is not valid JSON (1-based). */
  line?: number
  column?: number
}

/** Something the user likely did not mean, but that does not stop Xionimus (an unknown XIONIMUS_* variable). */
export interface ConfigWarning {
  source: string
  message: string
}

export function formatConfigProblem(problem: ConfigProblem): string {
  const where =
    problem.line === undefined ? problem.source : `${problem.source}:${problem.line}:${problem.column}`
  const key = problem.path === "" ? "" : `${problem.path}: `
  return `${where}: ${key}expected ${problem.expected}, got ${problem.received}`
}

export function formatConfigWarning(warning: ConfigWarning): string {
  return `${warning.source}: ${warning.message}`
}

/** The CONFIG_INVALID error; its message lists every problem so that any edge can print it as is. */
export function configInvalidError(problems: ConfigProblem[]): AppError {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`
  const lines = problems.map((problem) => `  ${formatConfigProblem(problem)}`)
  return new AppError(
    "CONFIG_INVALID",
    `The configuration is invalid (${count}); fix each value below and run again:\n${lines.join("\n")}`,
    { problems },
  )
}

/** A value as it should appear after "got": strings quoted, long values shortened. */
export function showValue(value: unknown): string {
  if (value === undefined) return "nothing"
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
