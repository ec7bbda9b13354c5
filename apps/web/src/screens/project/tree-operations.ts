import type { FileEntry } from "@xionimus/protocol"
import type { ApiError } from "@xionimus/sdk"
import { useServices, useT } from "../../app-context.tsx"
import { parentOf, viewerLimitBytes } from "../../lib/file-kind.ts"
import { toApiError } from "../../lib/to-api-error.ts"
import { isWithin, joinPath, nameProblem, type Tree } from "../../stores/tree-store.ts"

export interface TreeOperations {
  /** Creates a file (then opens it) or a folder; resolves to an error to show, or null. */
  create(parent: string, name: string, type: "file" | "directory"): Promise<ApiError | string | null>
  rename(path: string, name: string): Promise<ApiError | string | null>
  /** Moves into a directory; resolves to an error to show, or null. */
  move(path: string, directory: string): Promise<ApiError | string | null>
  /** Deletes; a file's content is kept in the page for an undo from the toast. */
  remove(entry: FileEntry): Promise<ApiError | null>
}

/** The tree's changes with their follow-ups: the open file follows a rename or move; toasts say what happened. */
export function useTreeOperations(
  tree: Tree,
  projectId: string,
  currentPath: string | null,
  onOpenFile: (path: string, size: number) => void,
): TreeOperations {
  const { client, toasts } = useServices()
  const t = useT()
  const nameError = (name: string) => {
    const problem = nameProblem(name)
    return problem ? t(`tree.name.${problem}`) : null
  }

  async function relocate(from: string, to: string): Promise<ApiError | null> {
    try {
      const entry = await tree.move(from, to)
      if (currentPath && isWithin(currentPath, from))
        onOpenFile(`${entry.path}${currentPath.slice(from.length)}`, entry.size)
      return null
    } catch (error) {
      return toApiError(error)
    }
  }

  return {
    async create(parent, name, type) {
      const problem = nameError(name)
      if (problem) return problem
      try {
        const entry = await tree.create(parent, name, type)
        if (type === "file") onOpenFile(entry.path, entry.size)
        return null
      } catch (error) {
        return toApiError(error)
      }
    },
    async rename(path, name) {
      const problem = nameError(name)
      if (problem) return problem
      const to = joinPath(parentOf(path), name.trim())
      return to === path ? null : relocate(path, to)
    },
    async move(path, directory) {
      const name = path.slice(path.lastIndexOf("/") + 1)
      if (isWithin(directory, path)) return t("tree.move.intoItself")
      if (parentOf(path) === directory) return t("tree.move.same", { name })
      const error = await relocate(path, joinPath(directory, name))
      if (!error)
        toasts.show({
          tone: "success",
          message: t("tree.moved", { name, dir: directory ? `/${directory}` : t("project.root") }),
        })
      return error
    },
    async remove(entry) {
      // The server has no trash for single files: keep a small file's bytes here so the toast can undo.
      const kept =
        entry.type === "file" && entry.size <= viewerLimitBytes
          ? await client.readFile(projectId, entry.path).catch(() => null)
          : null
      try {
        await tree.remove(entry.path)
      } catch (error) {
        return toApiError(error)
      }
      const toastId = toasts.show(
        {
          tone: "info",
          message: t("tree.deleted", { name: entry.name }),
          ...(kept
            ? {
                action: {
                  label: t("tree.undo"),
                  run: () => {
                    toasts.dismiss(toastId)
                    client
                      .createEntry(projectId, {
                        path: entry.path,
                        type: "file",
                        content: kept.content,
                        encoding: kept.encoding,
                      })
                      .then(
                        () => {
                          tree.refreshSoon(parentOf(entry.path))
                          toasts.show({ tone: "success", message: t("tree.restored", { name: entry.name }) })
                        },
                        (error) => {
                          const apiError = toApiError(error)
                          toasts.show({ tone: "error", message: apiError.message, code: apiError.code })
                        },
                      )
                  },
                },
              }
            : {}),
        },
        { durationMs: 8000 },
      )
      return null
    },
  }
}
