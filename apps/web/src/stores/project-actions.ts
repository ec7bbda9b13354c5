import type { Project } from "@xionimus/protocol"
import type { Client, CreateProjectInput } from "@xionimus/sdk"
import type { Translate } from "../i18n/translate.ts"
import { toApiError } from "../lib/to-api-error.ts"
import type { ProjectList } from "./project-list-store.ts"
import type { Toasts } from "./toast-store.ts"

export interface ProjectActions {
  /** Throws an ApiError for the form to show. */
  create(input: CreateProjectInput): Promise<Project>
  /** A project from a zip archive (throws an ApiError for the form to show). */
  importZip(input: { name: string; file: Blob; progressId?: string }): Promise<Project>
  /** Throws an ApiError for the inline editor to show. */
  rename(project: Project, name: string): Promise<Project>
  /** Moves to the trash and offers an undo; errors become a toast. */
  remove(project: Project): Promise<void>
  /** Takes out of the trash; errors become a toast. */
  restore(project: Project): Promise<void>
}

export interface ProjectActionsDeps {
  client: Client
  projects: ProjectList
  trash: ProjectList
  toasts: Toasts
  t: Translate
}

/** The project commands, shared by every screen that offers them; they keep both lists in step. */
export function createProjectActions({
  client,
  projects,
  trash,
  toasts,
  t,
}: ProjectActionsDeps): ProjectActions {
  // The undo toast of each project in the trash; restoring by any way takes it away.
  const undoToasts = new Map<string, number>()

  function showError(error: unknown): void {
    const apiError = toApiError(error)
    toasts.show({ tone: "error", message: apiError.message, code: apiError.code })
  }

  async function restore(project: Project): Promise<void> {
    try {
      const restored = await client.restoreProject(project.id)
      const undo = undoToasts.get(project.id)
      if (undo !== undefined) toasts.dismiss(undo)
      undoToasts.delete(project.id)
      trash.drop(project.id)
      projects.upsert(restored)
      toasts.show({ tone: "success", message: t("projects.restored", { name: restored.name }) })
    } catch (error) {
      showError(error)
    }
  }

  return {
    async create(input) {
      const project = await client.createProject(input)
      projects.upsert(project)
      return project
    },
    async importZip(input) {
      const project = await client.importProject(input)
      projects.upsert(project)
      return project
    },
    async rename(project, name) {
      const renamed = await client.renameProject(project.id, name)
      projects.upsert(renamed)
      return renamed
    },
    async remove(project) {
      try {
        const deleted = await client.deleteProject(project.id)
        projects.drop(project.id)
        trash.upsert(deleted)
        const toastId = toasts.show(
          {
            tone: "info",
            message: t("projects.deleted", { name: project.name }),
            action: { label: t("projects.undo"), run: () => void restore(deleted) },
          },
          { durationMs: 10_000 },
        )
        undoToasts.set(project.id, toastId)
      } catch (error) {
        showError(error)
      }
    },
    restore,
  }
}
