import assert from "node:assert/strict"
import { mkdtemp, readdir, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { isAppError } from "@xionimus/kit"
import { createWorkspaceManager } from "../src/index.ts"
import type { ProjectFiles, WorkspaceLimits, WorkspaceManager } from "../src/types.ts"

export const defaultLimits: WorkspaceLimits = {
  maxFileBytes: 1024 * 1024,
  maxUploadBytes: 4 * 1024 * 1024,
  maxUploadFiles: 100,
}

export interface WorkspaceFixture {
  /** The temp directory; the manager's root is `${directory}/workspaces`. */
  directory: string
  manager: WorkspaceManager
  files: ProjectFiles
  /** The host path of the test project's workspace. */
  workspace: string
  [Symbol.asyncDispose](): Promise<void>
}

/** A manager in a fresh temp directory with one empty project, `prj_test`. */
export async function createFixture(limits: Partial<WorkspaceLimits> = {}): Promise<WorkspaceFixture> {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-workspace-"))
  const manager = createWorkspaceManager({
    root: join(directory, "workspaces"),
    limits: { ...defaultLimits, ...limits },
  })
  await manager.create("prj_test", { kind: "empty" })
  return {
    directory,
    manager,
    files: manager.files("prj_test"),
    workspace: join(directory, "workspaces", "prj_test"),
    [Symbol.asyncDispose]: () => rm(directory, { recursive: true, force: true }),
  }
}

/** Asserts that `action` rejects with an AppError of `code`, and returns it. */
export async function rejectsWith(action: Promise<unknown> | (() => Promise<unknown>), code: string) {
  try {
    await (typeof action === "function" ? action() : action)
  } catch (error) {
    assert.ok(isAppError(error), `expected an AppError ${code}, got ${String(error)}`)
    assert.equal(error.code, code, error.message)
    return error
  }
  assert.fail(`expected ${code}, but it succeeded`)
}

/** Every path below `directory`, directories with a trailing slash, sorted (dot files included). */
export async function treeOf(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true })
  return entries
    .map((entry) => {
      const relative = join(entry.parentPath, entry.name).slice(directory.length + 1)
      return entry.isDirectory() ? `${relative}/` : relative
    })
    .sort()
}
