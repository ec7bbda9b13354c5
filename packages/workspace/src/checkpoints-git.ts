import { spawn } from "node:child_process"
import { AppError } from "@xionimus/kit"

export interface CheckpointGitOptions {
  gitBinary: string
  /** The hidden repository. */
  gitDir: string
  /** The project's workspace (the work tree). */
  workspace: string
}

export interface GitOutput {
  exitCode: number | null
  stdout: Buffer
  stderr: string
}

/**
 * Settings given on every command line, so that they hold even if the hidden repository's own config
 * were changed: no hooks, no fsmonitor daemon, and the two directories trusted whoever owns them.
 */
function protectedSettings(options: CheckpointGitOptions): string[] {
  return [
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.fsmonitor=false",
    "-c",
    `safe.directory=${options.gitDir}`,
    "-c",
    `safe.directory=${options.workspace}`,
  ]
}

/**
 * A clean environment: no GIT_* variable from the server's own, no global or system config (which
 * could add hooks, filters, includes or an fsmonitor), no prompts.
 */
function environment(options: CheckpointGitOptions, indexFile?: string): NodeJS.ProcessEnv {
  return {
    ...(indexFile === undefined ? {} : { GIT_INDEX_FILE: indexFile }),
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: options.gitDir,
    XDG_CONFIG_HOME: options.gitDir,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    GIT_OPTIONAL_LOCKS: "0",
    LC_ALL: "C",
  }
}

/** Runs `git --git-dir=<hidden> --work-tree=<workspace> <args>` (argv, never a shell). */
export function runGit(
  options: CheckpointGitOptions,
  args: readonly string[],
  input?: {
    stdin?: string
    allowedExitCodes?: readonly number[]
    withoutWorkTree?: boolean
    /** An index file of its own instead of the repository's (GIT_INDEX_FILE), for work beside it. */
    indexFile?: string
  },
): Promise<GitOutput> {
  const argv = [
    ...protectedSettings(options),
    `--git-dir=${options.gitDir}`,
    ...(input?.withoutWorkTree ? [] : [`--work-tree=${options.workspace}`]),
    ...args,
  ]
  return new Promise((resolve, reject) => {
    const child = spawn(options.gitBinary, argv, {
      cwd: options.workspace,
      env: environment(options, input?.indexFile),
      stdio: [input?.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    })
    const stdout: Buffer[] = []
    let stderr = ""
    child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk))
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-8192)
    })
    if (input?.stdin !== undefined) child.stdin?.end(input.stdin)
    child.on("error", (error) =>
      reject(
        new AppError(
          "CHECKPOINT_FAILED",
          `git could not be started (${options.gitBinary}): ${error.message}`,
          {
            gitBinary: options.gitBinary,
          },
        ),
      ),
    )
    child.on("close", (exitCode) => {
      const output = { exitCode, stdout: Buffer.concat(stdout), stderr }
      const allowed = input?.allowedExitCodes ?? [0]
      if (exitCode !== null && allowed.includes(exitCode)) resolve(output)
      else reject(gitFailed(args, output))
    })
  })
}

export function gitFailed(args: readonly string[], output: GitOutput): AppError {
  const last = output.stderr.trim().split("\n").at(-1) ?? ""
  return new AppError(
    "CHECKPOINT_FAILED",
    `git ${args[0]} failed: ${last || `exit code ${output.exitCode}`}`,
    {
      command: args[0],
      exitCode: output.exitCode,
      stderr: output.stderr,
    },
  )
}
