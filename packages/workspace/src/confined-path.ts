import type { BigIntStats } from "node:fs"
import { lstat, readlink } from "node:fs/promises"
import { isAbsolute, join, relative, resolve, sep } from "node:path"
import { AppError } from "@xionimus/kit"
import { mapFileSystemError } from "./file-system-error.ts"

/** More symlink hops than this means a loop (the kernel's own limit is 40). */
const maxSymlinkHops = 40

export interface ConfinedPath {
  /** Absolute host path; every existing component is a real directory inside the workspace. */
  absolute: string
  /** lstat of the final component, or null when it does not exist yet. */
  stat: BigIntStats | null
  /** The deepest existing directory on the way (real path); `absolute` when the path exists. */
  existing: string
  /** The components below `existing` that do not exist yet (empty when the path exists). */
  missing: string[]
}

/**
 * Walks `segments` from the workspace root one component at a time with lstat, the way the kernel
 * would, so that a symlink anywhere on the way is seen and judged: a link whose target lies inside the
 * workspace is followed, one that leads outside raises PATH_OUTSIDE_WORKSPACE — even when it dangles,
 * because creating a file through a dangling link would create it outside. The final component is
 * followed only with `followFinal` (reads and writes); otherwise a final symlink is returned as itself
 * (moving or deleting the link never touches its target).
 *
 * `workspace` must already be a real path (no symlinks). The result is checked at one moment; callers
 * open the final component with O_NOFOLLOW / O_EXCL or replace it with rename so that a link swapped
 * in afterwards is not followed.
 */
export async function resolveConfined(
  workspace: string,
  segments: readonly string[],
  options: { followFinal: boolean; display: string },
): Promise<ConfinedPath> {
  const queue = [...segments]
  let current = workspace
  let hops = 0
  while (queue.length > 0) {
    const segment = queue.shift()!
    const candidate = join(current, segment)
    let stat: BigIntStats
    try {
      stat = await lstat(candidate, { bigint: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        return {
          absolute: join(candidate, ...queue),
          stat: null,
          existing: current,
          missing: [segment, ...queue],
        }
      }
      throw mapFileSystemError(error, options.display)
    }
    const isFinal = queue.length === 0
    if (stat.isSymbolicLink() && (!isFinal || options.followFinal)) {
      hops += 1
      if (hops > maxSymlinkHops) {
        throw new AppError("PATH_INVALID", `The path "${options.display}" has too many symlinks (a loop?).`, {
          path: options.display,
        })
      }
      const target = await readlink(candidate).catch((error: unknown) => {
        throw mapFileSystemError(error, options.display)
      })
      // `current` holds no symlinks, so resolving ".." lexically against it is what the kernel does.
      const landing = resolve(isAbsolute(target) ? "/" : current, target)
      if (!isInside(workspace, landing)) throw outside(options.display)
      const rest = relative(workspace, landing)
      queue.unshift(...(rest === "" ? [] : rest.split(sep)))
      current = workspace
      continue
    }
    if (!isFinal && !stat.isDirectory()) {
      throw new AppError(
        "NOT_A_DIRECTORY",
        `"${segment}" in "${options.display}" is a file, not a directory. Check the path.`,
        { path: options.display },
      )
    }
    if (isFinal) return { absolute: candidate, stat, existing: candidate, missing: [] }
    current = candidate
  }
  const stat = await lstat(current, { bigint: true })
  return { absolute: current, stat, existing: current, missing: [] }
}

export function isInside(workspace: string, absolute: string): boolean {
  return absolute === workspace || absolute.startsWith(workspace.endsWith(sep) ? workspace : workspace + sep)
}

export function outside(display: string): AppError {
  return new AppError(
    "PATH_OUTSIDE_WORKSPACE",
    `The path "${display}" leads outside the project's workspace (through a symlink). Use a path inside the project.`,
    { path: display },
  )
}
