import { spawn } from "node:child_process"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { AppError, type Logger } from "@xionimus/kit"
import { createGitProgressParser } from "./git-progress.ts"
import { checkRef, type GitProtocol, headerScope, parseGitRemote, redact } from "./git-url.ts"
import type { ProgressEvent } from "./types.ts"

export interface CloneOptions {
  gitBinary: string
  url: string
  ref?: string
  token?: string
  /** Where to clone to; must not exist yet. */
  target: string
  timeoutMs: number
  protocols: readonly GitProtocol[]
  signal?: AbortSignal
  onProgress?: (event: ProgressEvent) => void
  logger: Logger
}

/** Kept from git's stderr for the error details: the end, where git says what went wrong. */
const stderrTailBytes = 8 * 1024

/** Environment variables that would point git at another repository than the one being made. */
const repositoryVariables = [
  "GIT_DIR",
  "GIT_WORK_TREE",
  "GIT_INDEX_FILE",
  "GIT_OBJECT_DIRECTORY",
  "GIT_ASKPASS",
]

/**
 * Clones with the git CLI. The credential (if any) travels only as an `http.<origin>/.extraHeader`
 * setting in this process's environment (GIT_CONFIG_COUNT), so it never appears on a command line,
 * in `.git/config` or in a credential helper; prompts are off, the transports are limited to the
 * URL's own, and the process group is killed on timeout or abort. Failures raise GIT_CLONE_FAILED
 * with git's stderr, secrets replaced by "***".
 */
export async function cloneRepository(options: CloneOptions): Promise<void> {
  const remote = parseGitRemote(options.url, options.token, options.protocols)
  if (options.ref !== undefined) checkRef(options.ref)
  const environment: NodeJS.ProcessEnv = { ...process.env }
  for (const name of repositoryVariables) delete environment[name]
  Object.assign(environment, {
    GIT_TERMINAL_PROMPT: "0",
    SSH_ASKPASS: "",
    GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? "ssh -o BatchMode=yes",
    // An http URL may redirect to https; nothing else (ext::, fd::) is ever allowed.
    GIT_ALLOW_PROTOCOL: remote.protocol === "http" ? "http:https" : remote.protocol,
  })
  if (remote.authorization) {
    const index = Number(environment.GIT_CONFIG_COUNT ?? 0) || 0
    environment.GIT_CONFIG_COUNT = String(index + 1)
    environment[`GIT_CONFIG_KEY_${index}`] = `http.${headerScope(remote.url)}.extraHeader`
    environment[`GIT_CONFIG_VALUE_${index}`] = remote.authorization
  }
  const args = [
    "-c",
    "credential.helper=",
    "-c",
    "core.hooksPath=/dev/null",
    "clone",
    "--progress",
    "--no-recurse-submodules",
    ...(options.ref === undefined ? [] : ["--branch", options.ref]),
    "--",
    remote.url,
    options.target,
  ]
  options.logger.info({ url: remote.url, ref: options.ref }, "git clone")
  const result = await run(options, args, environment)
  const failed = (reason: string) =>
    new AppError("GIT_CLONE_FAILED", `git could not clone ${remote.url}: ${reason}`, {
      url: remote.url,
      ref: options.ref,
      exitCode: result.exitCode,
      stderr: redact(result.stderr, remote.secrets),
    })
  if (result.timedOut) throw failed(`it took longer than ${Math.round(options.timeoutMs / 1000)} s.`)
  if (result.aborted) throw failed("the import was cancelled.")
  if (result.exitCode !== 0) throw failed(lastLine(redact(result.stderr, remote.secrets)))
  await assertNoCredential(join(options.target, ".git", "config"), remote.secrets)
}

interface RunResult {
  exitCode: number | null
  stderr: string
  timedOut: boolean
  aborted: boolean
}

function run(options: CloneOptions, args: string[], environment: NodeJS.ProcessEnv): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.gitBinary, args, {
      env: environment,
      stdio: ["ignore", "ignore", "pipe"],
      // Its own process group, so that a kill reaches git's helpers (remote-https, index-pack) too.
      detached: true,
    })
    let stderr = ""
    let timedOut = false
    let aborted = false
    const parse = options.onProgress ? createGitProgressParser(options.onProgress) : undefined
    const kill = () => {
      if (child.pid !== undefined && child.exitCode === null) {
        try {
          process.kill(-child.pid, "SIGKILL")
        } catch {
          // Already gone.
        }
      }
    }
    const timer = setTimeout(() => {
      timedOut = true
      kill()
    }, options.timeoutMs)
    const onAbort = () => {
      aborted = true
      kill()
    }
    options.signal?.addEventListener("abort", onAbort, { once: true })
    if (options.signal?.aborted) onAbort()
    child.stderr.setEncoding("utf8")
    child.stderr.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-stderrTailBytes)
      parse?.(chunk)
    })
    const finish = () => {
      clearTimeout(timer)
      options.signal?.removeEventListener("abort", onAbort)
    }
    child.on("error", (error) => {
      finish()
      reject(
        new AppError(
          "GIT_CLONE_FAILED",
          `git could not be started (${options.gitBinary}): ${error.message}`,
          {
            gitBinary: options.gitBinary,
          },
        ),
      )
    })
    child.on("close", (exitCode) => {
      finish()
      resolve({ exitCode, stderr, timedOut, aborted })
    })
  })
}

/** The credential went only into the environment; this proves it did not land in the clone. */
async function assertNoCredential(configPath: string, secrets: readonly string[]): Promise<void> {
  const config = await readFile(configPath, "utf8")
  const leaked = secrets.some((secret) => secret.length > 0 && config.includes(secret))
  if (leaked || /extraheader/i.test(config) || /https?:\/\/[^/\s]*@/i.test(config)) {
    throw new AppError(
      "GIT_CLONE_FAILED",
      "The cloned repository's configuration holds a credential, so the clone was discarded.",
      { path: ".git/config" },
    )
  }
}

function lastLine(text: string): string {
  const lines = text
    .split(/[\r\n]/)
    .map((line) => line.trim())
    .filter((line) => line !== "")
  const fatal = lines.filter((line) => /^(fatal|error):/i.test(line)).at(-1)
  return fatal ?? lines.at(-1) ?? "git exited with an error."
}
