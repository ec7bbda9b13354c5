import { writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { cgroupName, killCgroupProcesses, makeDirectory, removeCgroupDirectory } from "./cgroup-tree.ts"
import { type CgroupSlot, type Cgroups, type CgroupUsage, readCounter, readText } from "./cgroups.ts"
import type { SandboxLimits } from "./types.ts"

/**
 * cgroup v2: one tree. Every directory between the mount and a slot delegates the memory, pids and cpu
 * controllers to its children (a v2 cgroup with children may not hold processes, so runs live in slots).
 */
export function createCgroupsV2(mount: string, rootName: string): Cgroups {
  const root = join(mount, rootName)
  const free = new Map<string, CgroupSlot[]>()
  const counts = new Map<string, number>()

  function delegate(dir: string): void {
    makeDirectory(dir)
    for (const controller of ["memory", "pids", "cpu"]) {
      try {
        writeFileSync(join(dir, "cgroup.subtree_control"), `+${controller}`)
      } catch {
        // cpu may be unavailable (a realtime process holds it); memory and pids are checked at detection.
      }
    }
  }

  function prepareTree(project: string): void {
    let dir = join(root, project)
    const chain: string[] = []
    while (dir.startsWith(mount) && dir !== mount) {
      chain.unshift(dir)
      dir = dirname(dir)
    }
    for (const item of chain) delegate(item)
  }

  function createSlot(project: string, index: number): CgroupSlot {
    prepareTree(project)
    const dir = join(root, project, String(index))
    makeDirectory(dir)
    const file = (name: string) => join(dir, name)
    let oomBaseline = 0
    let pidsBaseline = 0
    let cpuBaseline = 0
    return {
      project,
      procsFiles: [file("cgroup.procs")],
      prepare(limits: SandboxLimits) {
        writeFileSync(file("memory.max"), String(limits.memoryBytes))
        tryWrite(file("memory.swap.max"), "0")
        tryWrite(file("memory.peak"), "0") // resettable since Linux 6.12
        writeFileSync(file("pids.max"), String(limits.pids))
        tryWrite(file("cpu.max"), `${Math.max(1000, Math.round(limits.cpuCores * 100000))} 100000`)
        oomBaseline = readCounter(file("memory.events"), "oom_kill")
        pidsBaseline = readCounter(file("pids.events"), "max")
        cpuBaseline = readCounter(file("cpu.stat"), "usage_usec")
      },
      usage(): CgroupUsage {
        const peak = readText(file("memory.peak"))
        return {
          cpuMs: Math.round((readCounter(file("cpu.stat"), "usage_usec") - cpuBaseline) / 1000),
          peakMemoryBytes: peak ? Number(peak) : null,
          oomKilled: readCounter(file("memory.events"), "oom_kill") > oomBaseline,
          pidsLimitHit: readCounter(file("pids.events"), "max") > pidsBaseline,
        }
      },
      async kill() {
        tryWrite(file("cgroup.kill"), "1")
        await killCgroupProcesses([file("cgroup.procs")])
      },
    }
  }

  return {
    version: "v2",
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
      await removeCgroupDirectory(join(root, project))
    },
    async dispose() {
      free.clear()
      counts.clear()
      await removeCgroupDirectory(root)
    },
  }
}

function tryWrite(path: string, value: string): void {
  try {
    writeFileSync(path, value)
  } catch {
    // Optional knob: absent on older kernels.
  }
}
