import type { FileChangedData, FileEntry } from "@xionimus/protocol"
import type { ApiError, Client } from "@xionimus/sdk"
import { ancestorsOf, parentOf } from "../lib/file-kind.ts"
import { createStore, type Store } from "../lib/store.ts"
import { toApiError } from "../lib/to-api-error.ts"

export interface DirectoryState {
  entries: FileEntry[]
  nextCursor: string | null
  /** loading: first page (or a refresh before any page); more: a further page. */
  status: "idle" | "loading" | "more"
  loaded: boolean
  error: ApiError | null
}

export interface TreeState {
  /** Directories by path ("" is the root), once opened. */
  directories: Record<string, DirectoryState>
  expanded: Record<string, boolean>
  /** The directory uploads go to: the last one clicked. */
  target: string
  /** An inline name field: a new entry in a directory, or an entry being renamed. */
  editing: TreeEditing | null
  /** The open context menu and what it is for; the anchor is a viewport point. */
  menu: { entry: FileEntry; x: number; y: number } | null
  /** An open confirmation or destination dialog. */
  dialog: { kind: "delete" | "move"; entry: FileEntry } | null
}

export type TreeEditing =
  | { kind: "create"; parent: string; type: "file" | "directory" }
  | { kind: "rename"; path: string }

export interface Tree {
  projectId: string
  state: Store<TreeState>
  /** Opens or closes a directory (and makes it the upload target when opening). */
  toggle(path: string): void
  /** Opens every directory above a path, e.g. for a file opened from a link. */
  reveal(path: string): void
  setTarget(path: string): void
  /** Shows an inline name field (opening the directory a new entry goes into), or hides it with null. */
  edit(editing: TreeEditing | null): void
  loadMore(path: string): Promise<void>
  /** Reloads a directory's loaded entries soon (several calls within a moment become one request). */
  refreshSoon(path: string): void
  /** Applies a file.changed event from the project's stream. */
  changed(data: FileChangedData): void
  /** Creates an empty file or a directory named `name` in `parent` (which is opened). */
  create(parent: string, name: string, type: "file" | "directory"): Promise<FileEntry>
  /** Moves or renames an entry; never overwrites (FILE_EXISTS when the destination is taken). */
  move(from: string, to: string): Promise<FileEntry>
  /** Deletes a file or a directory with everything in it. */
  remove(path: string): Promise<void>
  dispose(): void
}

/** Why a name cannot be used, before asking the server; null when it can. */
export function nameProblem(name: string): "empty" | "slash" | "dots" | null {
  const trimmed = name.trim()
  if (!trimmed) return "empty"
  if (trimmed.includes("/") || trimmed.includes("\\")) return "slash"
  if (trimmed === "." || trimmed === "..") return "dots"
  return null
}

export function joinPath(directory: string, name: string): string {
  return directory ? `${directory}/${name}` : name
}

/** Whether `path` is `ancestor` or lies inside it (a directory cannot move into itself). */
export function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(`${ancestor}/`)
}

const pageSize = 100
const refreshDelayMs = 120

const emptyDirectory: DirectoryState = {
  entries: [],
  nextCursor: null,
  status: "loading",
  loaded: false,
  error: null,
}

/** The lazily loaded, paginated file tree of one project. */
export function createTree(client: Client, projectId: string): Tree {
  const state = createStore<TreeState>({
    directories: {},
    expanded: { "": true },
    target: "",
    editing: null,
    menu: null,
    dialog: null,
  })
  const controller = new AbortController()
  // Each directory's latest request wins; older answers are dropped.
  const generations = new Map<string, number>()
  const refreshTimers = new Map<string, ReturnType<typeof setTimeout>>()

  function update(path: string, change: Partial<DirectoryState>): void {
    state.set((previous) => ({
      ...previous,
      directories: {
        ...previous.directories,
        [path]: { ...(previous.directories[path] ?? emptyDirectory), ...change },
      },
    }))
  }

  async function fetchDirectory(path: string, mode: "first" | "more" | "refresh"): Promise<void> {
    const current = state.get().directories[path]
    const generation = (generations.get(path) ?? 0) + 1
    generations.set(path, generation)
    const cursor = mode === "more" ? (current?.nextCursor ?? undefined) : undefined
    const limit =
      mode === "refresh" ? Math.min(200, Math.max(pageSize, current?.entries.length ?? 0)) : pageSize
    if (mode !== "refresh" || !current?.loaded)
      update(path, { status: mode === "more" ? "more" : "loading", error: null })
    try {
      const page = await client.tree(projectId, { path, cursor, limit, signal: controller.signal })
      if (generations.get(path) !== generation) return
      const entries = mode === "more" ? [...(current?.entries ?? []), ...page.items] : page.items
      update(path, { entries, nextCursor: page.nextCursor, status: "idle", loaded: true, error: null })
    } catch (error) {
      if (controller.signal.aborted || generations.get(path) !== generation) return
      update(path, { status: "idle", error: toApiError(error) })
    }
  }

  function open(path: string): void {
    const directory = state.get().directories[path]
    if (!directory || (directory.error && !directory.loaded)) void fetchDirectory(path, "first")
  }

  function refreshSoon(path: string): void {
    if (!state.get().directories[path]) return
    clearTimeout(refreshTimers.get(path))
    refreshTimers.set(
      path,
      setTimeout(() => {
        refreshTimers.delete(path)
        void fetchDirectory(path, "refresh")
      }, refreshDelayMs),
    )
  }

  function forget(path: string): void {
    // A deleted or moved directory: drop it and everything below it.
    state.set((previous) => {
      const keep = (key: string) => key !== path && !key.startsWith(`${path}/`)
      const directories = Object.fromEntries(
        Object.entries(previous.directories).filter(([key]) => keep(key)),
      )
      const expanded = Object.fromEntries(Object.entries(previous.expanded).filter(([key]) => keep(key)))
      const parent = directories[parentOf(path)]
      if (parent)
        directories[parentOf(path)] = {
          ...parent,
          entries: parent.entries.filter((entry) => entry.path !== path),
        }
      return { ...previous, directories, expanded, target: keep(previous.target) ? previous.target : "" }
    })
  }

  open("")

  return {
    projectId,
    state,
    toggle(path) {
      const expanded = !state.get().expanded[path]
      state.set((previous) => ({
        ...previous,
        expanded: { ...previous.expanded, [path]: expanded },
        target: expanded ? path : parentOf(path),
      }))
      if (expanded) open(path)
    },
    reveal(path) {
      const ancestors = ancestorsOf(path)
      state.set((previous) => ({
        ...previous,
        expanded: { ...previous.expanded, ...Object.fromEntries(ancestors.map((dir) => [dir, true])) },
      }))
      for (const dir of ancestors) open(dir)
    },
    setTarget: (path) => state.patch({ target: path }),
    edit(editing) {
      if (editing?.kind === "create") {
        const directories = [...ancestorsOf(joinPath(editing.parent, "-")), editing.parent]
        state.set((previous) => ({
          ...previous,
          expanded: { ...previous.expanded, ...Object.fromEntries(directories.map((dir) => [dir, true])) },
        }))
        for (const dir of directories) open(dir)
      }
      state.patch({ editing, menu: null })
    },
    loadMore: (path) => fetchDirectory(path, "more"),
    refreshSoon,
    changed(data) {
      if (data.change === "deleted") forget(data.path)
      if (data.change === "moved" && data.from) forget(data.from)
      refreshSoon(parentOf(data.path))
      if (data.from !== undefined) refreshSoon(parentOf(data.from))
      if (data.entryType !== "file") refreshSoon(data.path)
    },
    async create(parent, name, type) {
      const entry = await client.createEntry(
        projectId,
        { path: joinPath(parent, name.trim()), type, ...(type === "file" ? { content: "" } : {}) },
        { signal: controller.signal },
      )
      state.set((previous) => ({ ...previous, expanded: { ...previous.expanded, [parent]: true } }))
      open(parent)
      refreshSoon(parent)
      return entry
    },
    async move(from, to) {
      const entry = await client.move(
        projectId,
        { from, to, overwrite: false },
        { signal: controller.signal },
      )
      // The stream says so too; this keeps the tree right when live updates are down.
      forget(from)
      refreshSoon(parentOf(from))
      refreshSoon(parentOf(to))
      return entry
    },
    async remove(path) {
      await client.remove(projectId, path, { signal: controller.signal })
      forget(path)
      refreshSoon(parentOf(path))
    },
    dispose() {
      controller.abort()
      for (const timer of refreshTimers.values()) clearTimeout(timer)
      refreshTimers.clear()
    },
  }
}
