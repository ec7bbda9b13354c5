import { lstat, readdir } from "node:fs/promises"
import { join } from "node:path"

/**
 * Bytes the directory tree uses on disk (allocated blocks, so sparse files count what they really take),
 * without following symlinks. Stops early once `stopAbove` is passed: the caller only needs to know that.
 */
export async function workspaceSize(root: string, stopAbove = Number.POSITIVE_INFINITY): Promise<number> {
  let total = 0
  const pending = [root]
  while (pending.length > 0 && total <= stopAbove) {
    const dir = pending.pop()!
    let names: string[]
    try {
      names = await readdir(dir)
    } catch {
      continue // removed while we walked, or not readable: the run owns these files
    }
    for (const name of names) {
      const path = join(dir, name)
      try {
        const stat = await lstat(path)
        total += stat.blocks * 512
        if (stat.isDirectory()) pending.push(path)
      } catch {
        // Gone in the meantime.
      }
      if (total > stopAbove) break
    }
  }
  return total
}
