import { mkdir, realpath, stat } from "node:fs/promises"
import { AppError } from "@xionimus/kit"
import { withPath } from "./file-system-error.ts"
import { createKeyedLock } from "./keyed-lock.ts"
import { createProjectFiles } from "./project-files.ts"
import type { ProjectFiles, WorkspaceLimits } from "./types.ts"

export interface DirectoryFilesOptions {
  /** Any directory on disk (the headless CLI's `--project <dir>`); used in place, never copied. */
  directory: string
  /** Where uploads are staged (writeMany); outside the directory, ideally on the same file system. */
  staging: string
  limits: WorkspaceLimits
}

/**
 * Root-confined file access over a directory outside the workspaces root, with the same checks as a
 * workspace (symlinks out of it refused). Raises SANDBOX_WORKSPACE_INVALID on use when it is gone.
 */
export function createDirectoryFiles(options: DirectoryFilesOptions): ProjectFiles {
  const lock = createKeyedLock()
  return createProjectFiles({
    async workspace() {
      const real = await realpath(options.directory).catch(() => null)
      if (!real || !(await stat(real)).isDirectory())
        throw new AppError(
          "SANDBOX_WORKSPACE_INVALID",
          `The directory ${options.directory} does not exist or is not a directory.`,
          { path: options.directory },
        )
      return real
    },
    async staging() {
      await withPath(".staging", () => mkdir(options.staging, { recursive: true, mode: 0o700 }))
      return options.staging
    },
    limits: options.limits,
    lock,
  })
}
