import type { Logger } from "@xionimus/kit"
import type { Sandbox } from "@xionimus/sandbox"
import type { SandboxHost } from "../sandbox-host.ts"
import type { QuotaService } from "./quota-service.ts"

/**
 * The sandbox host as the agent's tools see it: each run first checks the CPU quotas of the project's team and
 * of the user on whose behalf it runs (the user whose message started the turn; none for a run without one:
 * QUOTA_EXCEEDED), and its CPU time is counted for both afterwards.
 */
export function meteredSandboxHost(host: SandboxHost, quotas: QuotaService, logger: Logger): SandboxHost {
  /** Per sandbox, one wrapper per user (or "" for runs on nobody's behalf). */
  const metered = new WeakMap<Sandbox, Map<string, Sandbox>>()
  function meter(sandbox: Sandbox, userId: string | undefined): Sandbox {
    let byUser = metered.get(sandbox)
    if (!byUser) {
      byUser = new Map()
      metered.set(sandbox, byUser)
    }
    let wrapped = byUser.get(userId ?? "")
    if (!wrapped) {
      const subject = { projectId: sandbox.projectId, ...(userId ? { userId } : {}) }
      wrapped = {
        projectId: sandbox.projectId,
        async exec(request) {
          await quotas.assertSandbox(subject)
          const result = await sandbox.exec(request)
          await quotas
            .recordSandbox({ ...subject, cpuMs: result.usage.cpuMs ?? 0 })
            .catch((error: unknown) => logger.warn({ err: error, ...subject }, "sandbox usage not recorded"))
          return result
        },
        stream: (request) => sandbox.stream(request),
        openTerminal: (options) => sandbox.openTerminal(options),
      }
      byUser.set(userId ?? "", wrapped)
    }
    return wrapped
  }
  return {
    provider: () => host.provider(),
    sandboxFor: async (projectId, userId) => meter(await host.sandboxFor(projectId), userId),
    runtimes: (projectId) => host.runtimes(projectId),
    close: () => host.close(),
  }
}
