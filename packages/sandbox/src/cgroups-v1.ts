import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { cgroupName, killCgroupProcesses, makeDirectory, removeCgroupDirectory } from "./cgroup-tree.ts"
import { type CgroupSlot, type Cgroups, type CgroupUsage, exists, readCounter, readText } from "./cgroups.ts"
import type { SandboxLimits } from "./types.ts"

const controllers = ["memory", "pids", "cpu", "cpuacct"] as const
type Controller = (typeof controllers)[number]

/** cgroup v1: one hierarchy per controller; the same relative path is made in each. */
export function createCgroupsV1(mounts: Record<string, string>, rootName: string): Cgroups {
  // Every hierarchy joined costs the launcher an RCU grace period (~3 ms on a busy machine): cpuacct is
  // used only where it shares the cpu hierarchy (the usual cpu,cpuacct mount); elsewhere cpuMs is null.
  const present = controllers.filter(
    (controller) => mounts[controller] && (controller !== "cpuacct" || mounts.cpuacct === mounts.cpu),
  )
  const pathOf = (controller: Controller, ...parts: string[]) => join(mounts[controller]!, rootName, ...parts)
  const free = new Map<string, CgroupSlot[]>()
  const counts = new Map<string, number>()

  function createSlot(project: string, index: number): CgroupSlot {
    const slot = String(index)
    const dirs = new Map(present.map((controller) => [controller, pathOf(controller, project, slot)]))
    for (const dir of dirs.values()) makeDirectory(dir)
    const file = (controller: Controller, name: string) => join(dirs.get(controller) ?? "/nonexistent", name)
    const memswFile = file("memory", "memory.memsw.limit_in_bytes")
    const hasMemsw = exists(memswFile)
    let oomBaseline = 0
    let pidsBaseline = 0
    let memoryLimit = -1
    return {
      project,
      procsFiles: [...new Set(dirs.values())].map((dir) => join(dir, "cgroup.procs")),
      prepare(limits: SandboxLimits) {
        if (limits.memoryBytes !== memoryLimit) {
          // memsw (memory + swap) must stay >= memory: order the two writes by direction.
          const memory = String(limits.memoryBytes)
          if (hasMemsw && limits.memoryBytes > memoryLimit) tryWrite(memswFile, memory)
          writeLimit(file("memory", "memory.limit_in_bytes"), memory, file("memory", "memory.force_empty"))
          if (hasMemsw) tryWrite(memswFile, memory)
          memoryLimit = limits.memoryBytes
        }
        tryWrite(file("memory", "memory.max_usage_in_bytes"), "0")
        writeFileSync(file("pids", "pids.max"), String(limits.pids))
        writeFileSync(file("cpu", "cpu.cfs_period_us"), "100000")
        writeFileSync(
          file("cpu", "cpu.cfs_quota_us"),
          String(Math.max(1000, Math.round(limits.cpuCores * 100000))),
        )
        if (dirs.has("cpuacct")) tryWrite(file("cpuacct", "cpuacct.usage"), "0")
        oomBaseline = readCounter(file("memory", "memory.oom_control"), "oom_kill")
        pidsBaseline = readCounter(file("pids", "pids.events"), "max")
      },
      usage(): CgroupUsage {
        const cpu = dirs.has("cpuacct") ? readText(file("cpuacct", "cpuacct.usage")) : null
        const peak = readText(file("memory", "memory.max_usage_in_bytes"))
        return {
          cpuMs: cpu ? Math.round(Number(cpu) / 1e6) : null,
          peakMemoryBytes: peak ? Number(peak) : null,
          oomKilled: readCounter(file("memory", "memory.oom_control"), "oom_kill") > oomBaseline,
          pidsLimitHit: readCounter(file("pids", "pids.events"), "max") > pidsBaseline,
        }
      },
      kill: () => killCgroupProcesses([join(dirs.get("pids")!, "cgroup.procs")]),
    }
  }

  return {
    version: "v1",
    acquire(projectKey) {
      const project = cgroupName(projectKey)
      const pool = free.get(project) ?? []
      free.set(project, pool)
      const reused = pool.pop()
      if (reused) return reused
      const index = counts.get(project) ?? 0
      counts.set(project, index + 1)
      return createSlot(project, index)
    },
    release(slot) {
      free.get(slot.project)?.push(slot)
    },
    async removeProject(projectKey) {
      const project = cgroupName(projectKey)
      free.delete(project)
      counts.delete(project)
      for (const dir of new Set(present.map((controller) => pathOf(controller, project)))) {
        await removeCgroupDirectory(dir)
      }
    },
    async dispose() {
      free.clear()
      counts.clear()
      for (const dir of new Set(present.map((controller) => pathOf(controller))))
        await removeCgroupDirectory(dir)
    },
  }
}

function tryWrite(path: string, value: string): void {
  try {
    writeFileSync(path, value)
  } catch {
    // Optional knob (absent on this kernel or refused): the limit it adds is best-effort.
  }
}

/** Lowering the limit below what the cgroup still holds (page cache of earlier runs) fails with EBUSY: drop it first. */
function writeLimit(path: string, value: string, forceEmpty: string): void {
  try {
    writeFileSync(path, value)
  } catch {
    tryWrite(forceEmpty, "0")
    writeFileSync(path, value)
  }
}
