import { FileChangedData, type Project } from "@xionimus/protocol"
import type { ApiError, Client, StreamClient } from "@xionimus/sdk"
import type { Translate } from "../i18n/translate.ts"
import { createStore, type Store } from "../lib/store.ts"
import { toApiError } from "../lib/to-api-error.ts"
import { createFileViewer, type FileViewer } from "./file-store.ts"
import type { Toasts } from "./toast-store.ts"
import { createTree, type Tree } from "./tree-store.ts"
import { createUploads, type Uploads } from "./upload-store.ts"

export interface ProjectState {
  project: Project | null
  error: ApiError | null
}

/** Everything the project screen shows, kept live by the project's event stream. */
export interface ProjectSession {
  projectId: string
  project: Store<ProjectState>
  tree: Tree
  file: FileViewer
  uploads: Uploads
  /** Loads the project and its root again and starts live updates if they had failed to start. */
  reload(): void
  dispose(): void
}

export interface ProjectSessionDeps {
  client: Client
  streams: StreamClient
  toasts: Toasts
  t: Translate
  projectId: string
}

export function createProjectSession(deps: ProjectSessionDeps): ProjectSession {
  const { client, streams, projectId } = deps
  const project = createStore<ProjectState>({ project: null, error: null })
  const tree = createTree(client, projectId)
  const file = createFileViewer(client, projectId)
  const uploads = createUploads({ ...deps, onUploaded: (directory) => tree.refreshSoon(directory) })
  const controller = new AbortController()
  let unsubscribe: (() => void) | undefined

  async function loadProject(): Promise<void> {
    try {
      const loaded = await client.getProject(projectId, { signal: controller.signal })
      project.set({ project: loaded, error: null })
    } catch (error) {
      if (!controller.signal.aborted) project.patch({ error: toApiError(error) })
    }
  }

  async function follow(): Promise<void> {
    // Start live updates at the stream's current head: the tree and file load fresh anyway,
    // so only what happens from now on matters.
    const { head } = await client.events(projectId, { after: 0, limit: 1, signal: controller.signal })
    if (controller.signal.aborted) return
    unsubscribe = streams.subscribe(projectId, {
      after: head,
      onEvent(event) {
        if (event.type === "file.changed") {
          const data = FileChangedData.safeParse(event.data)
          if (!data.success) return
          tree.changed(data.data)
          file.changed(data.data)
        } else if (event.type.startsWith("project.")) void loadProject()
      },
    })
  }

  let following = false
  function start(): void {
    void loadProject()
    if (following) return
    following = true
    follow().catch(() => {
      // Without live updates the screen still works; reload() tries again.
      following = false
    })
  }
  start()

  return {
    projectId,
    project,
    tree,
    file,
    uploads,
    reload() {
      tree.refreshSoon("")
      start()
    },
    dispose() {
      controller.abort()
      unsubscribe?.()
      tree.dispose()
      file.dispose()
      uploads.dispose()
    },
  }
}
