import { resolve } from "node:path"
import { AppError } from "@xionimus/kit"
import { type CliIo, writeLine } from "../cli-io.ts"
import { loadCliConfig } from "../load-cli-config.ts"

export interface ExecOptions {
  project: string
  cwd?: string
  timeout?: string
  shell?: boolean
  dataDir?: string
}

/** Exit codes when a limit or a signal ended the run (as coreutils `timeout` and shells report them). */
const timeoutExit = 124
const killedExit = 137

/**
 * `xionimus exec --project <dir> -- <command...>`: runs the command in a sandbox over the directory, with the
 * configured backend and limits, streaming its output; exits with the command's exit code.
 */
export async function execCommand(command: string[], options: ExecOptions, io: CliIo): Promise<number> {
  const { config } = await loadCliConfig(io, { dataDir: options.dataDir })
  const [first, ...rest] = command
  if (!first)
    throw new AppError(
      "SANDBOX_REQUEST_INVALID",
      "Give the command after --, e.g. xionimus exec --project . -- ls",
    )
  const timeoutMs = options.timeout === undefined ? undefined : Number(options.timeout)
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    throw new AppError(
      "SANDBOX_LIMIT_INVALID",
      `--timeout must be a positive number of milliseconds, not ${options.timeout}.`,
    )
  }
  const server = await import("@xionimus/server")
  const controller = new AbortController()
  const stopSignals = io.onSignal(() => controller.abort())
  try {
    const { result, capabilities } = await server.execInDirectory({
      config,
      directory: resolve(io.cwd, options.project),
      command: options.shell ? { shell: command.join(" ") } : { argv: [first, ...rest] },
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      signal: controller.signal,
      onOutput: (chunk) => (chunk.stream === "stdout" ? io.stdout : io.stderr).write(chunk.data),
    })
    for (const warning of capabilities.warnings) writeLine(io.stderr, `warning: ${warning}`)
    if (result.limit) writeLine(io.stderr, `xionimus: the run was stopped by its ${result.limit} limit`)
    if (result.exitCode !== null) return result.exitCode
    return result.limit === "timeout" ? timeoutExit : killedExit
  } finally {
    stopSignals()
  }
}
