import { randomBytes } from "node:crypto"
import { lstat, mkdir, realpath, rename, rm } from "node:fs/promises"
import { join } from "node:path"
import { AppError, silentLogger } from "@xionimus/kit"
import { mapFileSystemError, withPath } from "./file-system-error.ts"
import { cloneRepository } from "./git-clone.ts"
import { gitProtocols } from "./git-url.ts"
import { createKeyedLock } from "./keyed-lock.ts"
import { createProjectFiles } from "./project-files.ts"
import { copyTemplate, findTemplate, templates } from "./templates.ts"
import type { WorkspaceManager, WorkspaceManagerOptions, WorkspaceSource } from "./types.ts"
import { extractZip } from "./zip-import.ts"

/** Never a project id (ids cannot start with a dot): half-built projects, uploads, deletions. */
const stagingName = ".staging"
const projectIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/
const defaultGitTimeoutMs = 10 * 60 * 1000

/** Project workspaces as directories `<root>/<projectId>` on the local disk. */
export function createWorkspaceManager(options: WorkspaceManagerOptions): WorkspaceManager {
  const logger = options.logger ?? silentLogger()
  const lock = createKeyedLock()
  let rootPromise: Promise<string> | undefined

  /** The real path of the root, made on first use; a failure (EROFS, ...) is retried next time. */
  function realRoot(): Promise<string> {
    rootPromise ??= withPath(options.root, async () => {
      await mkdir(options.root, { recursive: true })
      return realpath(options.root)
    }).catch((error: unknown) => {
      rootPromise = undefined
      throw error
    })
    return rootPromise
  }

  async function staging(): Promise<string> {
    const directory = join(await realRoot(), stagingName)
    await withPath(stagingName, () => mkdir(directory, { recursive: true, mode: 0o700 }))
    return directory
  }

  async function workspace(projectId: string): Promise<string> {
    const external = await options.externalDirectory?.(projectId)
    if (external !== undefined) return externalWorkspace(external)
    const directory = join(await realRoot(), projectId)
    const stat = await lstat(directory).catch(() => undefined)
    // A symlink here would move every confinement check to wherever it points.
    if (!stat?.isDirectory()) {
      throw new AppError("PROJECT_NOT_FOUND", `The project ${projectId} has no workspace on this server.`, {
        projectId,
      })
    }
    return directory
  }

  async function externalWorkspace(path: string): Promise<string> {
    const real = await realpath(path).catch(() => undefined)
    const stat = real ? await lstat(real).catch(() => undefined) : undefined
    if (!real || !stat?.isDirectory()) {
      throw new AppError(
        "SANDBOX_WORKSPACE_INVALID",
        `The project's directory ${path} does not exist or is not a directory; restore it or register the project again.`,
        { path },
      )
    }
    return real
  }

  async function fill(
    source: WorkspaceSource,
    target: string,
    onProgress: Parameters<WorkspaceManager["create"]>[2],
    signal?: AbortSignal,
  ) {
    switch (source.kind) {
      case "empty":
        await mkdir(target)
        return
      case "template":
        await copyTemplate(source.template, target)
        return
      case "zip":
        await mkdir(target)
        await extractZip(source.data, target, options.limits, onProgress)
        return
      case "git":
        await cloneRepository({
          gitBinary: options.gitBinary ?? "git",
          url: source.url,
          ...(source.ref === undefined ? {} : { ref: source.ref }),
          ...(source.token === undefined ? {} : { token: source.token }),
          target,
          timeoutMs: options.gitTimeoutMs ?? defaultGitTimeoutMs,
          protocols: options.gitProtocols ?? gitProtocols,
          ...(signal ? { signal } : {}),
          ...(onProgress ? { onProgress } : {}),
          logger,
        })
        return
    }
  }

  return {
    root: options.root,

    templates() {
      return templates.map((template) => ({ ...template }))
    },

    async create(projectId, source, onProgress, createOptions = {}) {
      checkProjectId(projectId)
      if (source.kind === "template") findTemplate(source.template)
      const root = await realRoot()
      const directory = join(root, projectId)
      await lock.run([directory], async () => {
        if (await lstat(directory).catch(() => undefined)) {
          throw new AppError("FILE_EXISTS", `The project ${projectId} already has a workspace.`, {
            projectId,
          })
        }
        const target = join(await staging(), `create-${projectId}-${randomBytes(6).toString("hex")}`)
        try {
          onProgress?.({ phase: "preparing", message: `Creating the workspace (${source.kind})` })
          await withPath(projectId, () => fill(source, target, onProgress, createOptions.signal))
          await withPath(projectId, () => rename(target, directory))
          onProgress?.({ phase: "done", message: "The workspace is ready", ratio: 1 })
          logger.info({ projectId, source: source.kind }, "workspace created")
        } catch (error) {
          await rm(target, { recursive: true, force: true })
          throw error
        }
      })
    },

    directory(projectId) {
      checkProjectId(projectId)
      return workspace(projectId)
    },

    files(projectId) {
      checkProjectId(projectId)
      return createProjectFiles({
        workspace: () => workspace(projectId),
        staging,
        limits: options.limits,
        lock,
      })
    },

    async exists(projectId) {
      checkProjectId(projectId)
      const stat = await lstat(join(await realRoot(), projectId)).catch(() => undefined)
      return stat?.isDirectory() ?? false
    },

    async remove(projectId) {
      checkProjectId(projectId)
      const directory = join(await realRoot(), projectId)
      const trash = join(await staging(), `remove-${projectId}-${randomBytes(6).toString("hex")}`)
      await lock.run([directory], async () => {
        // Renamed away first so that the workspace vanishes at once, not file by file.
        try {
          await rename(directory, trash)
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === "ENOENT") return
          throw mapFileSystemError(error, projectId)
        }
        await withPath(projectId, () => rm(trash, { recursive: true, force: true }))
        logger.info({ projectId }, "workspace removed")
      })
    },
  }
}

function checkProjectId(projectId: string): void {
  if (typeof projectId !== "string" || !projectIdPattern.test(projectId)) {
    throw new AppError(
      "VALIDATION_FAILED",
      "The project id may hold only letters, digits, '_' and '-' (at most 128, not starting with either).",
      { projectId: String(projectId).slice(0, 200) },
    )
  }
}
