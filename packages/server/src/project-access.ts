import { AppError } from "@xionimus/kit"
import type { Project } from "@xionimus/protocol"
import type { Store } from "@xionimus/store"

/** The project, deleted or not; PROJECT_NOT_FOUND when there is none. */
export async function findProject(store: Store, projectId: string): Promise<Project> {
  const project = await store.projects.get(projectId)
  if (!project) {
    throw new AppError(
      "PROJECT_NOT_FOUND",
      `No project ${projectId}. It may have been deleted and purged; list projects to find its id.`,
      { projectId },
    )
  }
  return project
}

/** The project if it is not deleted; PROJECT_DELETED otherwise (file routes work on live projects only). */
export async function findLiveProject(store: Store, projectId: string): Promise<Project> {
  const project = await findProject(store, projectId)
  if (project.deletedAt) {
    throw new AppError(
      "PROJECT_DELETED",
      `Project "${project.name}" is deleted. Restore it (POST /api/projects/${projectId}/restore) to use its files.`,
      { projectId, purgeAfter: project.purgeAfter },
    )
  }
  return project
}
