import { join } from "node:path"
import { AppError, type Logger } from "@xionimus/kit"
import { createConcurrencyGate } from "./concurrency-gate.ts"
import { runProcess } from "./exec-run.ts"
import { defaultLimits, limitsWith } from "./limits.ts"
import { createProjectRegistry, type LaunchBuilder } from "./project-registry.ts"
import { workspaceMount } from "./sandbox-request.ts"
import type { LimitSupport, SandboxCapabilities, SandboxLimits, SandboxProvider } from "./types.ts"

export interface NoneProviderOptions {
  logger?: Logger
  limits?: Partial<SandboxLimits>
  maxConcurrent?: number
  /** How many accounts exist; the backend refuses to create sandboxes once there is more than one. */
  userCount?: () => Promise<number>
}

export const noneBackendWarning =
  "SANDBOX BACKEND 'none': commands run directly on this machine as the server's user, with no isolation and no " +
  "resource limits besides time and output. Use it only for development on your own machine."

/**
 * Development only: runs commands on the host in the project's directory (in their own process group, so a
 * timeout kills the tree). Paths under /workspace are mapped to the workspace directory for the working
 * directory only; programs see the real host.
 */
export async function createNoneProvider(options: NoneProviderOptions = {}): Promise<SandboxProvider> {
  options.logger?.warn({ backend: "none" }, noneBackendWarning)
  const gate = createConcurrencyGate(options.maxConcurrent ?? 8)
  const launch: LaunchBuilder = ({ workspaceDir, cwd, env, command }) => ({
    file: "/usr/bin/env",
    args: ["-i", ...Object.entries(env).map(([name, value]) => `${name}=${value}`), ...command],
    cwd: join(workspaceDir, cwd.slice(workspaceMount.length)),
    processGroup: true,
  })
  const registry = createProjectRegistry({
    ceiling: limitsWith(defaultLimits, options.limits),
    gate,
    cgroups: null,
    launch,
    run: runProcess,
    diskCheckIntervalMs: 1000,
    logger: options.logger,
  })
  const enforced = new Set(["timeoutMs", "outputBytes", "diskBytes"])
  const limits: LimitSupport[] = Object.keys(defaultLimits).map((name) => ({
    name: name as keyof SandboxLimits,
    enforced: enforced.has(name),
    how: enforced.has(name)
      ? "on the server (process group kill, byte count, size check)"
      : "not enforced: backend none",
  }))
  const capabilities: SandboxCapabilities = {
    backend: "none",
    isolated: false,
    cgroups: null,
    seccomp: false,
    network: "host",
    limits,
    warnings: [noneBackendWarning],
  }
  return {
    capabilities,
    async create(project) {
      const users = (await options.userCount?.()) ?? 1
      if (users > 1) {
        throw new AppError(
          "SANDBOX_UNAVAILABLE",
          "The 'none' sandbox backend is refused because more than one user exists: it would let every user run " +
            "code as the server. Configure the bubblewrap backend.",
          { users },
        )
      }
      return registry.create(project)
    },
    release: (projectId) => registry.release(projectId),
    stats: () => gate.stats(),
    async dispose() {
      gate.close()
      await registry.dispose()
    },
  }
}
