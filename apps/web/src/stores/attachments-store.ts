import type { ApiError, Client } from "@xionimus/sdk"
import { attachmentDirectory, attachmentFileName, isImagePath } from "../lib/message-attachments.ts"
import { createStore, type Store } from "../lib/store.ts"
import { toApiError } from "../lib/to-api-error.ts"

export interface PendingAttachment {
  id: string
  name: string
  size: number
  image: boolean
  status: "uploading" | "ready" | "error"
  /** The workspace path, once uploaded. */
  path?: string
  error?: ApiError
}

/**
 * The files attached to the message being written. Each is uploaded into the project's workspace
 * (`.xionimus/attachments/<stamp>/<name>`) as soon as it is attached, so sending only names paths.
 */
export interface Attachments {
  items: Store<PendingAttachment[]>
  add(files: readonly File[]): Promise<void>
  /** Drops the chip and deletes the uploaded file (best effort: it is only an unsent attachment). */
  remove(id: string): void
  /** Forgets the chips after a send (the files stay: the message names them). */
  clear(): void
  /** Paths of the uploaded files, in the order they were attached. */
  paths(): string[]
  /** Some file is still uploading: sending waits. */
  uploading(): boolean
  dispose(): void
}

export interface AttachmentsDeps {
  client: Pick<Client, "upload" | "remove">
  projectId: () => string | undefined
  now?: () => Date
  random?: () => string
}

export function createAttachments(deps: AttachmentsDeps): Attachments {
  const items = createStore<PendingAttachment[]>([])
  const controller = new AbortController()
  const now = deps.now ?? (() => new Date())
  const random = deps.random ?? (() => Math.random().toString(36).slice(2, 8))
  let counter = 0
  const update = (id: string, patch: Partial<PendingAttachment>) =>
    items.set((list) => list.map((item) => (item.id === id ? { ...item, ...patch } : item)))

  async function upload(item: PendingAttachment, file: File): Promise<void> {
    const projectId = deps.projectId()
    try {
      if (!projectId) throw new Error("The session is still loading; attach the file again in a moment.")
      const directory = attachmentDirectory(now(), random())
      const [entry] = await deps.client.upload(projectId, [{ path: item.name, content: file }], {
        path: directory,
        signal: controller.signal,
      })
      const path = entry?.path ?? `${directory}/${item.name}`
      // Removed while it uploaded: delete what arrived.
      if (!items.get().some((candidate) => candidate.id === item.id)) {
        void deps.client.remove(projectId, path).catch(() => undefined)
        return
      }
      update(item.id, { status: "ready", path })
    } catch (error) {
      if (controller.signal.aborted) return
      update(item.id, { status: "error", error: toApiError(error) })
    }
  }

  return {
    items,
    async add(files) {
      const added = files.map((file) => {
        const name = attachmentFileName(file.name)
        counter += 1
        return {
          item: {
            id: `att-${counter}`,
            name,
            size: file.size,
            image: isImagePath(name) || file.type.startsWith("image/"),
            status: "uploading" as const,
          },
          file,
        }
      })
      items.set((list) => [...list, ...added.map(({ item }) => item)])
      await Promise.all(added.map(({ item, file }) => upload(item, file)))
    },
    remove(id) {
      const item = items.get().find((candidate) => candidate.id === id)
      items.set((list) => list.filter((candidate) => candidate.id !== id))
      const projectId = deps.projectId()
      if (item?.path && projectId) void deps.client.remove(projectId, item.path).catch(() => undefined)
    },
    clear: () => items.set([]),
    paths: () => items.get().flatMap((item) => (item.status === "ready" && item.path ? [item.path] : [])),
    uploading: () => items.get().some((item) => item.status === "uploading"),
    dispose: () => controller.abort(),
  }
}
