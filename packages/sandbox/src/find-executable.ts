import { accessSync, constants } from "node:fs"
import { join } from "node:path"

const fallbackPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/** The absolute path of an executable on PATH (plus the usual system directories), or null. */
export function findExecutable(name: string, path = process.env.PATH ?? ""): string | null {
  for (const dir of `${path}:${fallbackPath}`.split(":")) {
    if (!dir.startsWith("/")) continue
    const candidate = join(dir, name)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // Not here.
    }
  }
  return null
}
