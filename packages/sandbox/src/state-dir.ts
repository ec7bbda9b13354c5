import { mkdtempSync, readdirSync, rmSync } from "node:fs"
import { join } from "node:path"
import { isAlive } from "./cgroup-tree.ts"

/**
 * Makes a provider's private directory `<parent>/xionimus-<kind>-p<pid>-XXXXXX`, first removing those of
 * processes that are gone (a server killed before its dispose() leaves its generated /etc, seccomp program,
 * bundles and runsc state behind).
 */
export function createStateDir(parent: string, kind: string): string {
  const prefix = `xionimus-${kind}-p`
  let entries: string[] = []
  try {
    entries = readdirSync(parent)
  } catch {
    // The parent is made below (or mkdtemp says why it cannot be).
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix)) continue
    const pid = Number(/^(\d+)-/.exec(entry.slice(prefix.length))?.[1])
    if (!pid || pid === process.pid || isAlive(pid)) continue
    rmSync(join(parent, entry), { recursive: true, force: true })
  }
  return mkdtempSync(join(parent, `${prefix}${process.pid}-`))
}
