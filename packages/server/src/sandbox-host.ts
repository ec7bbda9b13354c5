import { join } from "node:path"
import type { Config } from "@xionimus/config"
import type { Logger } from "@xionimus/kit"
import {
  createBubblewrapProvider,
  createGvisorProvider,
  createNoneProvider,
  detectRuntimes,
  type Runtime,
  type Sandbox,
  type SandboxProvider,
} from "@xionimus/sandbox"

/** The server's sandboxes: one provider, created on first use, and one sandbox per project workspace. */
export interface SandboxHost {
  /** The provider; raises SANDBOX_UNAVAILABLE when the backend cannot start (retried on the next call). */
  provider(): Promise<SandboxProvider>
  /**
   * The project's sandbox over its directory (`<workspaces>/<projectId>`, or its external directory).
   * `userId`: on whose behalf it runs (the metered host counts CPU time for them; others ignore it).
   */
  sandboxFor(projectId: string, userId?: string): Promise<Sandbox>
  /** Toolchains found inside the sandbox (detected once per process). */
  runtimes(projectId: string): Promise<Runtime[]>
  /** Kills every run and terminal and releases the provider. */
  close(): Promise<void>
}

export interface SandboxHostOptions {
  config: Config
  workspacesRoot: string
  logger: Logger
  /** Accounts that exist (the `none` backend is refused with more than one). */
  userCount: () => Promise<number>
  /** The project's directory on the host; default `<workspacesRoot>/<projectId>`. */
  directoryOf?: (projectId: string) => Promise<string>
}

export function createSandboxHost(options: SandboxHostOptions): SandboxHost {
  const { config, logger } = options
  let opening: Promise<SandboxProvider> | null = null
  let runtimes: Promise<Runtime[]> | null = null
  let closed = false

  function open(): Promise<SandboxProvider> {
    const settings = config.sandbox
    const limits = {
      timeoutMs: settings.timeoutMs,
      memoryBytes: settings.memoryBytes,
      pids: settings.pids,
      cpuCores: settings.cpuCores,
      outputBytes: settings.outputBytes,
      diskBytes: settings.diskBytes,
    }
    const child = logger.child({ component: "sandbox" })
    if (settings.backend === "none") {
      return createNoneProvider({
        logger: child,
        limits,
        maxConcurrent: settings.maxConcurrent,
        userCount: options.userCount,
      })
    }
    const isolated = { logger: child, limits, maxConcurrent: settings.maxConcurrent }
    const opened =
      settings.backend === "gvisor"
        ? createGvisorProvider({ ...isolated, readOnlyPaths: settings.readOnlyPaths })
        : createBubblewrapProvider({ ...isolated, readOnlyPaths: settings.readOnlyPaths })
    return opened.then((provider) => {
      child.info(
        {
          backend: provider.capabilities.backend,
          cgroups: provider.capabilities.cgroups,
          seccomp: provider.capabilities.seccomp,
          unenforced: provider.capabilities.limits
            .filter((limit) => !limit.enforced)
            .map((limit) => limit.name),
        },
        "sandbox ready",
      )
      return provider
    })
  }

  const host: SandboxHost = {
    provider() {
      if (!opening) {
        opening = open()
        opening.catch(() => {
          opening = null
        })
      }
      return opening
    },
    async sandboxFor(projectId) {
      const provider = await host.provider()
      const allow = config.sandbox.networkAllow[projectId] ?? []
      return provider.create({
        projectId,
        workspaceDir: options.directoryOf
          ? await options.directoryOf(projectId)
          : join(options.workspacesRoot, projectId),
        ...(allow.length > 0 ? { network: { allow } } : {}),
      })
    },
    runtimes(projectId) {
      if (!runtimes) {
        runtimes = host.sandboxFor(projectId).then(detectRuntimes)
        runtimes.catch(() => {
          runtimes = null
        })
      }
      return runtimes
    },
    async close() {
      if (closed) return
      closed = true
      const provider = await opening?.catch(() => null)
      await provider?.dispose()
    },
  }
  return host
}
