import type { ApiError, Client, UploadInput } from "@xionimus/sdk"
import type { Translate } from "../i18n/translate.ts"
import { createStore, type Store } from "../lib/store.ts"
import { toApiError } from "../lib/to-api-error.ts"
import type { Toasts } from "./toast-store.ts"

export interface UploadState {
  /** Files in uploads that have not finished yet. */
  pending: number
  error: ApiError | null
}

export interface Uploads {
  state: Store<UploadState>
  /** Uploads files into a directory ("" = root); folders keep their relative paths. */
  upload(files: readonly UploadInput[], directory: string): Promise<void>
  dispose(): void
}

export interface UploadsDeps {
  client: Client
  projectId: string
  toasts: Toasts
  t: Translate
  /** Called after a successful upload with the target directory (the tree reloads it). */
  onUploaded(directory: string): void
}

export function createUploads({ client, projectId, toasts, t, onUploaded }: UploadsDeps): Uploads {
  const state = createStore<UploadState>({ pending: 0, error: null })
  const controller = new AbortController()

  return {
    state,
    async upload(files, directory) {
      if (files.length === 0) return
      state.set((previous) => ({ pending: previous.pending + files.length, error: null }))
      try {
        const items = await client.upload(projectId, files, { path: directory, signal: controller.signal })
        onUploaded(directory)
        const dir = directory ? `/${directory}` : t("project.root")
        toasts.show({ tone: "success", message: t("project.uploaded", { count: items.length, dir }) })
        state.set((previous) => ({ ...previous, pending: previous.pending - files.length }))
      } catch (error) {
        if (controller.signal.aborted) return
        const apiError = toApiError(error)
        state.set((previous) => ({ pending: previous.pending - files.length, error: apiError }))
        toasts.show({ tone: "error", message: apiError.message, code: apiError.code })
      }
    },
    dispose: () => controller.abort(),
  }
}
