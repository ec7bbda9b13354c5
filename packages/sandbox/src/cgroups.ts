import { existsSync, readFileSync } from "node:fs"
import type { SandboxLimits } from "./types.ts"

/** What a run's cgroup measured. */
export interface CgroupUsage {
  cpuMs: number | null
  peakMemoryBytes: number | null
  /** The kernel's OOM killer killed a process of this run. */
  oomKilled: boolean
  /** A fork or clone failed because the pids limit was reached. */
  pidsLimitHit: boolean
}

/** One reusable cgroup (per controller) that holds one run at a time. */
export interface CgroupSlot {
  /** The project's cgroup directory name. */
  readonly project: string
  /** cgroup.procs files the launcher writes its own pid into before it starts bwrap. */
  readonly procsFiles: readonly string[]
  /** Sets the run's limits and resets the counters. */
  prepare(limits: SandboxLimits): void
  usage(): CgroupUsage
  /** SIGKILLs every process still in the cgroup and waits until it is empty. */
  kill(): Promise<void>
}

/** Cgroups for sandboxed runs: one directory per project, reused slots below it (never one per call). */
export interface Cgroups {
  readonly version: "v1" | "v2"
  /** A free slot of the project's cgroup, created the first time more runs than before are at once. */
  acquire(projectKey: string): CgroupSlot
  release(slot: CgroupSlot): void
  /** Removes the project's cgroups (their runs must have ended). */
  removeProject(projectKey: string): Promise<void>
  /** Removes every cgroup this instance made. */
  dispose(): Promise<void>
}

export interface CgroupMounts {
  version: "v1" | "v2"
  /** v1: controller → mount point; v2: "unified" → mount point. */
  mounts: Record<string, string>
}

/**
 * Finds usable cgroup hierarchies in /proc/self/mountinfo: v2 when a cgroup2 mount offers the memory and
 * pids controllers, else v1 with the memory, pids and cpu controllers, else null.
 */
export function detectCgroups(mountInfo = readMountInfo()): CgroupMounts | null {
  const v1: Record<string, string> = {}
  let v2: string | null = null
  for (const line of mountInfo.split("\n")) {
    const [left, right] = line.split(" - ")
    if (!left || !right) continue
    const mountPoint = left.split(" ")[4]
    const [type, , superOptions = ""] = right.split(" ")
    if (!mountPoint) continue
    if (type === "cgroup2") {
      const controllers = readText(`${mountPoint}/cgroup.controllers`)?.split(/\s+/) ?? []
      if (controllers.includes("memory") && controllers.includes("pids")) v2 = mountPoint
    } else if (type === "cgroup") {
      for (const option of superOptions.split(",")) {
        if (["memory", "pids", "cpu", "cpuacct"].includes(option)) v1[option] = mountPoint
      }
    }
  }
  if (v2) return { version: "v2", mounts: { unified: v2 } }
  if (v1.memory && v1.pids && v1.cpu) return { version: "v1", mounts: v1 }
  return null
}

function readMountInfo(): string {
  return readText("/proc/self/mountinfo") ?? ""
}

export function readText(path: string): string | null {
  try {
    return readFileSync(path, "utf8")
  } catch {
    return null
  }
}

/** The number after `key ` in a flat-keyed cgroup file (memory.events, pids.events, cpu.stat...). */
export function readCounter(path: string, key: string): number {
  const text = readText(path)
  const match = text?.match(new RegExp(`^${key} (\\d+)$`, "m"))
  return match?.[1] ? Number(match[1]) : 0
}

export function exists(path: string): boolean {
  return existsSync(path)
}
