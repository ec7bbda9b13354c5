import { spawn } from "node:child_process"
import { relative } from "node:path"
import { AppError } from "@xionimus/kit"
import type { ToolContext } from "./types.ts"

/** More output than this is not read (the tool's own truncation shows far less). */
const maxOutputBytes = 4 * 1024 * 1024
const timeoutMs = 60_000

/**
 * Flags on every ripgrep run: no config file (RIPGREP_CONFIG_PATH), symlinks never followed, big files
 * skipped, hidden files searched but never the .git folder.
 */
const safeFlags = [
  "--no-config",
  "--no-follow",
  "--max-filesize=1M",
  "--hidden",
  "--glob=!.git",
  "--color=never",
  "--no-messages",
]

export interface RipgrepResult {
  /** 0 = found, 1 = nothing found. */
  exitCode: number
  stdout: string
}

/**
 * The path argument for ripgrep: the confined path relative to the project root ("." for the root),
 * after the workspace's own symlink checks, so that ripgrep is never started on a link out.
 */
export async function searchRoot(context: ToolContext, path: string | undefined): Promise<string> {
  const root = await context.files.resolve("")
  const absolute = await context.files.resolve(path ?? "")
  return relative(root, absolute) || "."
}

/**
 * Runs ripgrep with argv (never a shell), confined to the project: inside the sandbox when the context
 * has one (cwd /workspace), otherwise on the host with the workspace as cwd and a cleared environment.
 * `args` must end with `--` and the search path.
 */
export async function runRipgrep(context: ToolContext, args: readonly string[]): Promise<RipgrepResult> {
  const argv = [...safeFlags, ...args]
  const result = context.sandbox ? await inSandbox(context, argv) : await onHost(context, argv)
  if (result.exitCode === 0 || result.exitCode === 1)
    return { exitCode: result.exitCode, stdout: result.stdout }
  if (context.signal.aborted) throw new AppError("TOOL_ABORTED", "The search was cancelled.")
  if (result.exitCode === null) {
    throw new AppError(
      "SEARCH_FAILED",
      `The search took longer than ${timeoutMs / 1000} s and was stopped. Search a smaller folder (path) or fewer files (include).`,
    )
  }
  const reason = result.stderr.trim().split("\n").slice(-5).join("\n") || `exit code ${result.exitCode}`
  throw new AppError(
    "SEARCH_FAILED",
    `The search failed: ${reason}. If the pattern is a regular expression with special characters, escape them or set literal: true.`,
    { exitCode: result.exitCode },
  )
}

interface RawResult {
  exitCode: number | null
  stdout: string
  stderr: string
}

async function inSandbox(context: ToolContext, argv: string[]): Promise<RawResult> {
  const stdout: Uint8Array[] = []
  const stderr: Uint8Array[] = []
  const result = await context.sandbox!.exec({
    command: { argv: ["rg", ...argv] },
    cwd: "/workspace",
    signal: context.signal,
    limits: { timeoutMs, outputBytes: maxOutputBytes },
    onOutput: (chunk) => (chunk.stream === "stdout" ? stdout : stderr).push(chunk.data),
  })
  return {
    // Stopped for producing too much: what was read is a valid (cut) answer.
    exitCode: result.limit === "output" ? 0 : result.exitCode,
    stdout: Buffer.concat(stdout).toString("utf8"),
    stderr: Buffer.concat(stderr).toString("utf8"),
  }
}

async function onHost(context: ToolContext, argv: string[]): Promise<RawResult> {
  const cwd = await context.files.resolve("")
  return new Promise((resolve, reject) => {
    const child = spawn("rg", argv, {
      cwd,
      env: { PATH: "/usr/local/bin:/usr/bin:/bin", LC_ALL: "C.UTF-8" },
      stdio: ["ignore", "pipe", "pipe"],
      signal: context.signal,
      timeout: timeoutMs,
      killSignal: "SIGKILL",
    })
    const stdout: Buffer[] = []
    let stdoutBytes = 0
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => {
      if (stdoutBytes >= maxOutputBytes) return
      stdout.push(chunk)
      stdoutBytes += chunk.length
      if (stdoutBytes >= maxOutputBytes) child.kill("SIGKILL")
    })
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4096)
    })
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.name === "AbortError") return
      reject(
        new AppError("SEARCH_FAILED", `ripgrep could not be started: ${error.message}. Tell the user.`, {
          code: error.code,
        }),
      )
    })
    child.on("close", (exitCode) => {
      // Killed for producing too much: what was read is a valid (cut) answer.
      const full = stdoutBytes >= maxOutputBytes
      resolve({ exitCode: full ? 0 : exitCode, stdout: Buffer.concat(stdout).toString("utf8"), stderr })
    })
  })
}
