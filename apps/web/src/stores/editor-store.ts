import type { ApiError, Client } from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"
import { toApiError } from "../lib/to-api-error.ts"
import {
  type DraftStorage,
  readDraft,
  readTabs,
  removeDraft,
  writeDraft,
  writeTabs,
} from "./editor-drafts.ts"
import type { FileView } from "./file-store.ts"

/**
 * Why the buffer and the file disagree: the server refused a save (`save`), the file changed while the
 * buffer had unsaved changes (`changed`), or it was deleted or moved away (`deleted`).
 */
export type ConflictReason = "save" | "changed" | "deleted"

/** One open text file. */
export interface EditorBuffer {
  path: string
  /**
   * The file's content as last read or saved. In a conflict it is *their* content (what is on disk now),
   * so "compare" is base against text and "reload theirs" is text := base.
   */
  base: string
  /** The version of `base`, sent as expectedVersion; null when the file does not exist. */
  version: string | null
  /** What the editor holds. */
  text: string
  /** The text came back from a draft kept in this browser. */
  restored: boolean
  saving: boolean
  /** The last save failed for another reason than a conflict (shown with its code). */
  error: ApiError | null
  conflict: ConflictReason | null
}

export interface EditorState {
  /** Open tabs (file paths), in order. */
  tabs: string[]
  active: string | null
  /** Buffers of the text files opened so far; other kinds (images, binaries) have a tab but no buffer. */
  buffers: Record<string, EditorBuffer>
  /** A draft could not be kept (browser storage full). */
  storageFull: boolean
}

export interface Editor {
  state: Store<EditorState>
  /** Opens (or activates) the tab of `path`; null shows no file. */
  show(path: string | null): void
  /** The text of `path` as the server has it now: opens its buffer or follows the change. */
  loaded(path: string, file: { content: string; version: string }): void
  /** `path` no longer exists. */
  deleted(path: string): void
  edit(path: string, text: string): void
  /** Saves with the version the buffer is based on; false when nothing was saved. */
  save(path: string): Promise<boolean>
  /** Conflict: drop my changes and take the file as it is now. */
  takeTheirs(path: string): void
  /** Conflict: write my text over theirs (exactly the version I have seen; null recreates a deleted file). */
  overwrite(path: string): Promise<boolean>
  /** Hides the "restored from a draft" note. */
  acknowledgeRestored(path: string): void
  /** Closes a tab (dropping unsaved changes: ask first) and answers the tab to show next. */
  close(path: string): string | null
  /**
   * What the editor view keeps of a file between tab switches (undo history, selection) as plain JSON,
   * written by the view when it closes and read when it opens again; dropped with the tab.
   */
  viewStates: Map<string, unknown>
  dispose(): void
}

export interface EditorDeps {
  client: Pick<Client, "readFile" | "writeFile">
  projectId: string
  /** The file viewer's state; its text and deleted states feed the buffers. */
  viewer?: Store<FileView>
  storage?: DraftStorage | undefined
}

export function isDirty(buffer: EditorBuffer | undefined): boolean {
  return buffer !== undefined && (buffer.text !== buffer.base || buffer.conflict === "deleted")
}

export function createEditor(deps: EditorDeps): Editor {
  const { client, projectId, storage } = deps
  const saved = readTabs(storage, projectId)
  const state = createStore<EditorState>({ ...saved, buffers: {}, storageFull: false })
  const controller = new AbortController()
  /** The text being written by a save in flight, per path (to recognise our own change coming back). */
  const saving = new Map<string, string>()
  const viewStates = new Map<string, unknown>()

  const buffer = (path: string) => state.get().buffers[path]

  function setBuffer(path: string, next: EditorBuffer | undefined): void {
    state.set((previous) => {
      const buffers = { ...previous.buffers }
      if (next) buffers[path] = next
      else delete buffers[path]
      return { ...previous, buffers }
    })
    if (next) keepDraft(next)
  }

  function keepDraft(next: EditorBuffer): void {
    if (!isDirty(next) && next.conflict === null) {
      removeDraft(storage, projectId, next.path)
      return
    }
    const kept = writeDraft(storage, projectId, next.path, {
      text: next.text,
      version: next.version,
      ...(next.conflict ? { conflict: next.conflict } : {}),
    })
    if (kept === state.get().storageFull) state.patch({ storageFull: !kept })
  }

  function setTabs(tabs: string[], active: string | null): void {
    state.patch({ tabs, active })
    writeTabs(storage, projectId, { tabs, active })
  }

  function loaded(path: string, file: { content: string; version: string }): void {
    const current = buffer(path)
    if (!current) {
      const draft = readDraft(storage, projectId, path)
      const fresh: EditorBuffer = {
        path,
        base: file.content,
        version: file.version,
        text: file.content,
        restored: false,
        saving: false,
        error: null,
        conflict: null,
      }
      if (!draft || draft.text === file.content) setBuffer(path, fresh)
      else if (draft.version === file.version && draft.conflict !== "deleted")
        setBuffer(path, { ...fresh, text: draft.text, restored: true, conflict: draft.conflict ?? null })
      // The draft was based on another version: the file changed while this browser was away.
      else setBuffer(path, { ...fresh, text: draft.text, restored: true, conflict: "changed" })
      return
    }
    if (current.version === file.version) return
    const ours = saving.get(path)
    if (file.content === current.text) {
      setBuffer(path, { ...current, base: file.content, version: file.version, conflict: null })
    } else if (ours !== undefined && file.content === ours) {
      // Our own save, seen through the stream before its answer arrived.
      setBuffer(path, { ...current, base: file.content, version: file.version })
    } else if (!isDirty(current) && current.conflict === null) {
      setBuffer(path, { ...current, base: file.content, text: file.content, version: file.version })
    } else {
      setBuffer(path, { ...current, base: file.content, version: file.version, conflict: "changed" })
    }
  }

  function deleted(path: string): void {
    const current = buffer(path)
    if (!current) return
    if (current.text === current.base && current.conflict === null) {
      setBuffer(path, undefined)
      removeDraft(storage, projectId, path)
    } else setBuffer(path, { ...current, base: "", version: null, conflict: "deleted" })
  }

  async function write(path: string): Promise<boolean> {
    const current = buffer(path)
    if (!current || current.saving) return false
    const text = current.text
    saving.set(path, text)
    setBuffer(path, { ...current, saving: true, error: null })
    try {
      const entry = await client.writeFile(
        projectId,
        { path, content: text, expectedVersion: current.version },
        { signal: controller.signal },
      )
      const latest = buffer(path)
      if (latest)
        setBuffer(path, {
          ...latest,
          base: text,
          version: entry.version,
          saving: false,
          conflict: null,
          restored: false,
        })
      return true
    } catch (error) {
      if (controller.signal.aborted) return false
      const apiError = toApiError(error)
      if (apiError.code === "VERSION_CONFLICT" || apiError.code === "FILE_EXISTS") {
        await readTheirs(path)
        return false
      }
      const latest = buffer(path)
      if (latest) setBuffer(path, { ...latest, saving: false, error: apiError })
      return false
    } finally {
      saving.delete(path)
    }
  }

  /** After a refused save: their content becomes the base, and the buffer is in conflict. */
  async function readTheirs(path: string): Promise<void> {
    try {
      const theirs = await client.readFile(projectId, path, { signal: controller.signal })
      const latest = buffer(path)
      if (latest)
        setBuffer(path, {
          ...latest,
          base: theirs.encoding === "utf8" ? theirs.content : "",
          version: theirs.entry.version,
          saving: false,
          conflict: "save",
        })
    } catch (error) {
      if (controller.signal.aborted) return
      const apiError = toApiError(error)
      const latest = buffer(path)
      if (!latest) return
      if (apiError.code === "FILE_NOT_FOUND")
        setBuffer(path, { ...latest, base: "", version: null, saving: false, conflict: "deleted" })
      else setBuffer(path, { ...latest, saving: false, error: apiError, conflict: "save" })
    }
  }

  const unsubscribe = deps.viewer?.subscribe(() => follow(deps.viewer!.get()))
  function follow(view: FileView): void {
    if (view.kind === "text" && view.content.encoding === "utf8")
      loaded(view.path, { content: view.content.content, version: view.content.entry.version })
    else if (view.kind === "deleted") deleted(view.path)
  }
  if (deps.viewer) follow(deps.viewer.get())

  return {
    state,
    show(path) {
      const { tabs, active } = state.get()
      if (path === null) {
        if (active !== null) setTabs(tabs, null)
        return
      }
      if (active === path && tabs.includes(path)) return
      setTabs(tabs.includes(path) ? tabs : [...tabs, path], path)
    },
    loaded,
    deleted,
    edit(path, text) {
      const current = buffer(path)
      if (!current || current.text === text) return
      setBuffer(path, { ...current, text, error: null })
    },
    save(path) {
      const current = buffer(path)
      // A conflict is resolved by one of its choices, never by a plain save.
      if (!current || current.conflict !== null || !isDirty(current)) return Promise.resolve(false)
      return write(path)
    },
    takeTheirs(path) {
      const current = buffer(path)
      if (!current) return
      if (current.conflict === "deleted") {
        setBuffer(path, undefined)
        removeDraft(storage, projectId, path)
        return
      }
      setBuffer(path, { ...current, text: current.base, conflict: null, restored: false, error: null })
    },
    overwrite(path) {
      const current = buffer(path)
      if (!current || current.conflict === null) return Promise.resolve(false)
      setBuffer(path, { ...current, conflict: null })
      return write(path)
    },
    acknowledgeRestored(path) {
      const current = buffer(path)
      if (current?.restored) setBuffer(path, { ...current, restored: false })
    },
    close(path) {
      const { tabs, active } = state.get()
      const index = tabs.indexOf(path)
      const rest = tabs.filter((tab) => tab !== path)
      const next = active === path ? (rest[Math.min(index, rest.length - 1)] ?? null) : active
      setBuffer(path, undefined)
      removeDraft(storage, projectId, path)
      viewStates.delete(path)
      setTabs(rest, next)
      return next
    },
    viewStates,
    dispose() {
      controller.abort()
      unsubscribe?.()
    },
  }
}
