import { mkdirSync, readdirSync, rmdirSync } from "node:fs"
import { join } from "node:path"
import { readText } from "./cgroups.ts"

/** SIGKILLs every process listed in the cgroup.procs files, repeating until all are empty (or 2 s passed). */
export async function killCgroupProcesses(procsFiles: readonly string[]): Promise<void> {
  const deadline = Date.now() + 2000
  for (;;) {
    let found = false
    for (const file of procsFiles) {
      for (const pid of (readText(file) ?? "").split("\n").filter(Boolean)) {
        found = true
        try {
          process.kill(Number(pid), "SIGKILL")
        } catch {
          // Already gone.
        }
      }
    }
    if (!found || Date.now() > deadline) return
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

export function makeDirectory(path: string): void {
  mkdirSync(path, { recursive: true })
}

/** Removes a cgroup directory and its child cgroups, deepest first (cgroup dirs hold only pseudo-files). */
export async function removeCgroupDirectory(path: string): Promise<void> {
  let children: string[] = []
  try {
    children = readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
  } catch {
    return
  }
  for (const child of children) await removeCgroupDirectory(join(path, child))
  await killCgroupProcesses([join(path, "cgroup.procs")])
  for (let attempt = 0; attempt < 50; attempt += 1) {
    try {
      rmdirSync(path)
      return
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === "ENOENT") return
      if (code !== "EBUSY") throw error
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
}

/** Project ids become directory names: keep safe characters only. */
export function cgroupName(projectId: string): string {
  const safe = projectId.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64)
  return safe === "" ? "_" : safe
}

/**
 * Removes what a crashed earlier server left: `<mount>/<name>/p<pid>-*` directories whose pid is gone.
 * Their processes are killed first (a run that outlived its server has no one to report to).
 */
export function sweepStaleCgroups(mounts: readonly string[], name: string): void {
  for (const mount of new Set(mounts)) {
    const parent = join(mount, name)
    let entries: string[] = []
    try {
      entries = readdirSync(parent)
    } catch {
      continue
    }
    for (const entry of entries) {
      const pid = Number(/^p(\d+)-/.exec(entry)?.[1])
      if (!pid || isAlive(pid)) continue
      void removeCgroupDirectory(join(parent, entry))
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}
