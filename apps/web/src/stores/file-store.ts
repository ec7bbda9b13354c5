import type { FileChangedData, FileContent } from "@xionimus/protocol"
import type { ApiError, Client } from "@xionimus/sdk"
import { isImagePath, viewerLimitBytes } from "../lib/file-kind.ts"
import { createStore, type Store } from "../lib/store.ts"
import { toApiError } from "../lib/to-api-error.ts"

/**
 * What the viewer shows: text (with its content), an image (loaded by the browser from the raw URL),
 * a binary or too large file (a note and a download link), a deleted file, or an error.
 */
export type FileView =
  | { kind: "none" }
  | { kind: "loading"; path: string }
  | { kind: "text"; path: string; content: FileContent }
  | { kind: "image"; path: string; size: number | null }
  | { kind: "binary"; path: string; size: number }
  | { kind: "large"; path: string; size: number | null }
  | { kind: "deleted"; path: string }
  | { kind: "error"; path: string; error: ApiError }

export interface FileViewer {
  state: Store<FileView>
  /** Shows a file; `knownSize` (from the tree) lets large files skip loading. */
  open(path: string | null, knownSize?: number): void
  /** Applies a file.changed event from the project's stream. */
  changed(data: FileChangedData): void
  dispose(): void
}

export function createFileViewer(client: Client, projectId: string): FileViewer {
  const state = createStore<FileView>({ kind: "none" })
  let controller: AbortController | undefined

  async function load(path: string, knownSize: number | undefined): Promise<void> {
    controller?.abort()
    if (isImagePath(path)) {
      state.set({ kind: "image", path, size: knownSize ?? null })
      return
    }
    if (knownSize !== undefined && knownSize > viewerLimitBytes) {
      state.set({ kind: "large", path, size: knownSize })
      return
    }
    const current = new AbortController()
    controller = current
    const previous = state.get()
    // A reload of the same file keeps showing the old content until the new one is there.
    if (!("path" in previous) || previous.path !== path || previous.kind !== "text")
      state.set({ kind: "loading", path })
    try {
      const content = await client.readFile(projectId, path, { signal: current.signal })
      const size = content.entry.size
      if (content.encoding === "base64") state.set({ kind: "binary", path, size })
      else if (size > viewerLimitBytes) state.set({ kind: "large", path, size })
      else state.set({ kind: "text", path, content })
    } catch (error) {
      if (current.signal.aborted) return
      const apiError = toApiError(error)
      if (apiError.code === "FILE_TOO_LARGE") state.set({ kind: "large", path, size: knownSize ?? null })
      else state.set({ kind: "error", path, error: apiError })
    }
  }

  return {
    state,
    open(path, knownSize) {
      if (path === null) {
        controller?.abort()
        state.set({ kind: "none" })
        return
      }
      void load(path, knownSize)
    },
    changed(data) {
      const view = state.get()
      if (!("path" in view)) return
      const path = view.path
      const within = (changed: string) => path === changed || path.startsWith(`${changed}/`)
      if (
        (data.change === "deleted" && within(data.path)) ||
        (data.change === "moved" && data.from && within(data.from))
      ) {
        controller?.abort()
        state.set({ kind: "deleted", path })
      } else if (data.path === path && (data.change === "updated" || data.change === "created")) {
        void load(path, undefined)
      }
    },
    dispose: () => controller?.abort(),
  }
}
