import { newId } from "@xionimus/kit"
import type { Project, ProjectSource } from "@xionimus/protocol"
import type { WorkspaceSource } from "@xionimus/workspace"
import type { FastifyBaseLogger } from "fastify"
import type { ImportProgress } from "./import-progress.ts"
import type { ProjectActivity } from "./project-activity.ts"
import type { Services } from "./services.ts"

export interface NewProject {
  name: string
  /** What fills the workspace (may hold a one-time git token or the zip bytes). */
  source: WorkspaceSource
  /** What is stored and shown: no credentials, no bytes. */
  recordedSource: ProjectSource
  /** Where the client follows the import (openImportProgress). */
  progress?: ImportProgress
}

/**
 * Fills the workspace first and stores the row after, so that no client ever sees a project whose files
 * are still arriving; when the row cannot be stored (a name taken meanwhile) the directory goes again.
 */
export async function createProject(
  services: Services,
  activity: ProjectActivity,
  log: FastifyBaseLogger,
  input: NewProject,
  signal?: AbortSignal,
): Promise<Project> {
  const id = newId("prj")
  let project: Project
  try {
    await services.workspaces.create(
      id,
      input.source,
      (progress) => {
        log.info({ projectId: id, phase: progress.phase, ratio: progress.ratio }, progress.message)
        input.progress?.report(progress)
      },
      signal ? { signal } : {},
    )
    try {
      project = await services.store.projects.create({ id, name: input.name, source: input.recordedSource })
    } catch (error) {
      await services.workspaces
        .remove(id)
        .catch((removeError: unknown) => log.error({ err: removeError, projectId: id }, "cleanup failed"))
      throw error
    }
  } catch (error) {
    await input.progress?.end({ error })
    throw error
  }
  await input.progress?.end({ projectId: project.id })
  await activity.record(id, [
    { type: "project.created", data: { name: project.name, source: project.source } },
  ])
  return project
}

/** A clone URL fit for storing and showing: any user name or password in it removed. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url)
    if (!parsed.username && !parsed.password) return url
    parsed.username = ""
    parsed.password = ""
    return parsed.toString()
  } catch {
    // scp-like "git@host:path" is no URL; its user is not a secret.
    return url
  }
}

/** Aborts when the client goes away before the answer was sent (a long git clone is then killed). */
export function abortOnDisconnect(reply: {
  raw: NodeJS.EventEmitter & { writableFinished: boolean }
}): AbortSignal {
  const controller = new AbortController()
  reply.raw.once("close", () => {
    if (!reply.raw.writableFinished) controller.abort(new Error("the client disconnected"))
  })
  return controller.signal
}
