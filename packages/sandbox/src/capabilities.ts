import type { LimitSupport, SandboxCapabilities, SandboxLimits } from "./types.ts"

export interface BwrapFacts {
  cgroups: "v1" | "v2" | null
  seccomp: boolean
  /** Whether projects may get an allow-listed network (the in-sandbox bridge needs python3). */
  allowListNetwork: boolean
}

/** Which limits hold with bubblewrap on this machine, and warnings for the ones that do not. */
export function bwrapCapabilities(facts: BwrapFacts): SandboxCapabilities {
  const cgroup = facts.cgroups ? `cgroup ${facts.cgroups}` : null
  const rlimit = "rlimit set by the launcher (ulimit)"
  const limit = (name: keyof SandboxLimits, how: string | null, missing: string): LimitSupport =>
    how ? { name, enforced: true, how } : { name, enforced: false, how: missing }
  const noCgroups =
    "not enforced: no writable cgroup hierarchy (run as root, or delegate a cgroup v2 subtree)"
  const limits: LimitSupport[] = [
    limit("timeoutMs", "SIGKILL of the sandbox's pid namespace", ""),
    limit("cpuSeconds", `${rlimit} (RLIMIT_CPU)`, ""),
    limit("memoryBytes", cgroup && `${cgroup} memory controller`, noCgroups),
    limit("pids", cgroup && `${cgroup} pids controller`, noCgroups),
    limit("cpuCores", cgroup && `${cgroup} cpu quota`, noCgroups),
    limit("outputBytes", "byte count on the server; the run is killed past it", ""),
    limit("fileBytes", `${rlimit} (RLIMIT_FSIZE)`, ""),
    limit("openFiles", `${rlimit} (RLIMIT_NOFILE)`, ""),
    limit("tmpBytes", "size-capped tmpfs at /tmp", ""),
    limit(
      "diskBytes",
      "workspace size checked while the run goes (approximate: a run may overshoot by what it writes between checks)",
      "",
    ),
  ]
  const warnings = limits
    .filter((item) => !item.enforced)
    .map((item) => `Sandbox limit ${item.name} is ${item.how}.`)
  if (!facts.seccomp) warnings.push("No seccomp filter: this CPU architecture is not in our syscall table.")
  return {
    backend: "bubblewrap",
    isolated: true,
    cgroups: facts.cgroups,
    seccomp: facts.seccomp,
    network: facts.allowListNetwork ? "allow-list" : "none",
    limits,
    warnings,
  }
}

/**
 * What the gVisor backend enforces: rlimits gVisor's kernel applies, a size-capped tmpfs and the server-side
 * limits. runsc's own cgroups are off (a pids limit crashed the 2022 build here), so memory, pids and CPU
 * quota are not enforced; RLIMIT_CPU is set but that build ignores it.
 */
export function gvisorCapabilities(): SandboxCapabilities {
  const applied = (name: keyof SandboxLimits, how: string): LimitSupport => ({ name, enforced: true, how })
  const missing = (name: keyof SandboxLimits, why: string): LimitSupport => ({
    name,
    enforced: false,
    how: `not enforced by the gVisor backend: ${why}`,
  })
  const noCgroups = "runsc runs with --ignore-cgroups (its cgroup limits are unreliable); use bubblewrap"
  const limits: LimitSupport[] = [
    applied("timeoutMs", "SIGKILL of runsc (the sandbox dies with it), then runsc delete --force"),
    missing("cpuSeconds", "RLIMIT_CPU is passed to gVisor, which does not apply it; timeoutMs still holds"),
    missing("memoryBytes", noCgroups),
    missing("pids", noCgroups),
    missing("cpuCores", noCgroups),
    applied("outputBytes", "byte count on the server; the run is killed past it"),
    applied("fileBytes", "RLIMIT_FSIZE applied by gVisor's kernel"),
    applied("openFiles", "RLIMIT_NOFILE applied by gVisor's kernel"),
    applied("tmpBytes", "size-capped tmpfs at /tmp inside gVisor"),
    applied(
      "diskBytes",
      "workspace size checked while the run goes (approximate: a run may overshoot by what it writes between checks)",
    ),
  ]
  return {
    backend: "gvisor",
    isolated: true,
    cgroups: null,
    // The program's system calls reach gVisor's user-space kernel, itself confined by its own seccomp filter.
    seccomp: true,
    network: "none",
    limits,
    warnings: limits
      .filter((item) => !item.enforced)
      .map((item) => `Sandbox limit ${item.name} is ${item.how}.`),
  }
}
