import type { Config } from "@xionimus/config"
import type { CheckResult } from "./check-result.ts"

/**
 * The configured sandbox backend: can it start, what does it enforce on this machine (each limit it cannot
 * enforce is named), and is a working gVisor installed as the stronger option.
 */
export async function checkSandbox(config: Config): Promise<CheckResult[]> {
  const server = await import("@xionimus/server")
  const { capabilities, error, gvisor } = await server.diagnoseSandbox(config)
  const results: CheckResult[] = []
  if (!capabilities) {
    results.push({
      name: "sandbox",
      status: "fail",
      required: true,
      detail: `${config.sandbox.backend} cannot start: ${error?.message ?? "unknown error"}`,
      fix: "install bubblewrap and allow user namespaces (see the bubblewrap check), or see docs/sandbox.md",
    })
  } else {
    const parts = [
      capabilities.backend,
      capabilities.isolated ? "isolated" : "NOT isolated",
      capabilities.cgroups ? `cgroup ${capabilities.cgroups}` : "no cgroups",
      capabilities.seccomp ? "seccomp" : "no seccomp",
      `network ${capabilities.network}`,
    ]
    results.push({
      name: "sandbox",
      status: capabilities.isolated ? "ok" : "warn",
      required: true,
      detail: parts.join(", "),
      ...(capabilities.isolated
        ? {}
        : { fix: "set sandbox.backend to bubblewrap for anything but development" }),
    })
    const unenforced = capabilities.limits.filter((limit) => !limit.enforced)
    results.push(
      unenforced.length === 0
        ? { name: "sandbox limits", status: "ok", required: false, detail: "every limit is enforced" }
        : {
            name: "sandbox limits",
            status: "warn",
            required: false,
            detail: `not enforced: ${unenforced.map((limit) => `${limit.name} (${limit.how})`).join("; ")}`,
            fix:
              capabilities.backend === "gvisor"
                ? "the gVisor backend cannot enforce these; use sandbox.backend bubblewrap where they matter"
                : "run the server as root or give it a delegated cgroup v2 subtree; install util-linux (prlimit)",
          },
    )
  }
  results.push(
    gvisor.available
      ? { name: "gVisor", status: "ok", required: false, detail: `${gvisor.path}: ${gvisor.detail}` }
      : { name: "gVisor", status: "warn", required: false, detail: `not offered: ${gvisor.detail}` },
  )
  return results
}
