import { createHash } from "node:crypto"
import { realpath } from "node:fs/promises"
import type { Config } from "@xionimus/config"
import { AppError, type Logger } from "@xionimus/kit"
import {
  commandArgv,
  createBubblewrapProvider,
  createGvisorProvider,
  createNoneProvider,
  detectGvisor,
  type ExecResult,
  type GvisorStatus,
  type OutputChunk,
  type SandboxCapabilities,
  type SandboxProvider,
} from "@xionimus/sandbox"

/** The provider the configuration asks for (the `none` backend counts this machine's one user). */
function openProvider(config: Config, logger?: Logger): Promise<SandboxProvider> {
  const settings = config.sandbox
  const limits = {
    timeoutMs: settings.timeoutMs,
    memoryBytes: settings.memoryBytes,
    pids: settings.pids,
    cpuCores: settings.cpuCores,
    outputBytes: settings.outputBytes,
    diskBytes: settings.diskBytes,
  }
  const common = { limits, maxConcurrent: settings.maxConcurrent, ...(logger ? { logger } : {}) }
  if (settings.backend === "none") return createNoneProvider(common)
  if (settings.backend === "gvisor")
    return createGvisorProvider({ ...common, readOnlyPaths: settings.readOnlyPaths })
  return createBubblewrapProvider({ ...common, readOnlyPaths: settings.readOnlyPaths })
}

/** What `doctor` reports: the configured backend's capabilities (or why it cannot start) and gVisor. */
export async function diagnoseSandbox(
  config: Config,
): Promise<{ capabilities: SandboxCapabilities | null; error: AppError | null; gvisor: GvisorStatus }> {
  const gvisor = await detectGvisor()
  try {
    const provider = await openProvider(config)
    const capabilities = provider.capabilities
    await provider.dispose()
    return { capabilities, error: null, gvisor }
  } catch (error) {
    const known =
      error instanceof AppError
        ? error
        : new AppError("SANDBOX_UNAVAILABLE", String((error as Error)?.message ?? error))
    return { capabilities: null, error: known, gvisor }
  }
}

/**
 * Runs one command in a sandbox over `directory` (the CLI's `exec`): the same isolation and limits as the
 * server's runs. Output goes to `onOutput` as it comes; `signal` kills the run.
 */
export async function execInDirectory(options: {
  config: Config
  directory: string
  command: { argv: [string, ...string[]] } | { shell: string }
  cwd?: string
  timeoutMs?: number
  onOutput: (chunk: OutputChunk) => void
  signal?: AbortSignal
  logger?: Logger
}): Promise<{ result: ExecResult; capabilities: SandboxCapabilities }> {
  commandArgv(options.command)
  const directory = await realpath(options.directory).catch(() => {
    throw new AppError("SANDBOX_WORKSPACE_INVALID", `The directory ${options.directory} does not exist.`, {
      path: options.directory,
    })
  })
  const provider = await openProvider(options.config, options.logger)
  try {
    const projectId = `cli-${createHash("sha256").update(directory).digest("hex").slice(0, 16)}`
    const sandbox = await provider.create({ projectId, workspaceDir: directory })
    const result = await sandbox.exec({
      command: options.command,
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(options.timeoutMs !== undefined ? { limits: { timeoutMs: options.timeoutMs } } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onOutput: options.onOutput,
    })
    return { result, capabilities: provider.capabilities }
  } finally {
    await provider.dispose()
  }
}
