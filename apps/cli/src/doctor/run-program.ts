import { execFile } from "node:child_process"
import type { Env } from "@xionimus/config"

export interface ProgramResult {
  ok: boolean
  stdout: string
  stderr: string
  /** Why it failed, for a person: "not found", "exit code 1: …", "timed out". */
  reason: string
}

/** Runs a program to check that it exists and works; never throws. */
export function runProgram(
  command: string,
  args: string[],
  env: Env,
  timeoutMs = 15_000,
): Promise<ProgramResult> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: timeoutMs, encoding: "utf8" }, (error, stdout, stderr) => {
      if (!error) return resolve({ ok: true, stdout, stderr, reason: "" })
      const code = (error as NodeJS.ErrnoException).code
      const firstLine = (stderr.trim() || stdout.trim()).split("\n")[0] ?? ""
      const reason =
        code === "ENOENT"
          ? "not found"
          : error.killed
            ? `timed out after ${timeoutMs / 1000} s`
            : `exit code ${error.code ?? error.signal}${firstLine ? `: ${firstLine}` : ""}`
      resolve({ ok: false, stdout, stderr, reason })
    })
  })
}

/** The first line of a version banner ("git version 2.47.3"). */
export function firstLine(text: string): string {
  return text.trim().split("\n")[0]?.trim() ?? ""
}
