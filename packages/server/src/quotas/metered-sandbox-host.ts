import type { Logger } from "@xionimus/kit"
import type { Sandbox } from "@xionimus/sandbox"
import type { SandboxHost } from "../sandbox-host.ts"
import type { QuotaService } from "./quota-service.ts"

/**
 * The sandbox host as the agent's tools see it: each run first checks the project's team CPU quota
 * (QUOTA_EXCEEDED) and its CPU time is counted for that team afterwards. The tools' runs carry no user,
 * so users' own quotas apply to the exec route only.
 */
export function meteredSandboxHost(host: SandboxHost, quotas: QuotaService, logger: Logger): SandboxHost {
  const metered = new WeakMap<Sandbox, Sandbox>()
  function meter(sandbox: Sandbox): Sandbox {
    let wrapped = metered.get(sandbox)
    if (!wrapped) {
      const subject = { projectId: sandbox.projectId }
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
      metered.set(sandbox, wrapped)
    }
    return wrapped
  }
  return {
    provider: () => host.provider(),
    sandboxFor: async (projectId) => meter(await host.sandboxFor(projectId)),
    runtimes: (projectId) => host.runtimes(projectId),
    close: () => host.close(),
  }
}
