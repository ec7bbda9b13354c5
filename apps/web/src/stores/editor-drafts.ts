/** What the editor keeps in the browser's storage, so that a reload loses neither a tab nor a keystroke. */
export type DraftStorage = Pick<Storage, "getItem" | "setItem" | "removeItem">

/** The open tabs of one project and the one shown. */
export interface TabSet {
  tabs: string[]
  active: string | null
}

/** An unsaved buffer: the text, and the version of the file it was based on. */
export interface Draft {
  text: string
  /** null: the file did not exist (deleted underneath, or never saved). */
  version: string | null
  /** The buffer was in conflict with the file when it was kept (so a reload shows the conflict again). */
  conflict?: "save" | "changed" | "deleted"
}

export const tabsKey = (projectId: string) => `xionimus.editor.tabs.${projectId}`
export const draftKey = (projectId: string, path: string) => `xionimus.editor.draft.${projectId}:${path}`

function readJson(storage: DraftStorage | undefined, key: string): unknown {
  const raw = storage?.getItem(key)
  if (!raw) return undefined
  try {
    return JSON.parse(raw)
  } catch {
    return undefined
  }
}

/** Writes; a full storage (quota) must not break typing, so a failed write is reported, not thrown. */
function writeJson(storage: DraftStorage | undefined, key: string, value: unknown): boolean {
  try {
    storage?.setItem(key, JSON.stringify(value))
    return true
  } catch {
    return false
  }
}

export function readTabs(storage: DraftStorage | undefined, projectId: string): TabSet {
  const value = readJson(storage, tabsKey(projectId)) as Partial<TabSet> | undefined
  const tabs = Array.isArray(value?.tabs) ? value.tabs.filter((tab) => typeof tab === "string") : []
  const active = typeof value?.active === "string" && tabs.includes(value.active) ? value.active : null
  return { tabs: [...new Set(tabs)], active }
}

export function writeTabs(storage: DraftStorage | undefined, projectId: string, tabs: TabSet): void {
  if (tabs.tabs.length === 0) storage?.removeItem(tabsKey(projectId))
  else writeJson(storage, tabsKey(projectId), tabs)
}

export function readDraft(storage: DraftStorage | undefined, projectId: string, path: string): Draft | null {
  const value = readJson(storage, draftKey(projectId, path)) as Partial<Draft> | undefined
  if (typeof value?.text !== "string") return null
  const version = typeof value.version === "string" ? value.version : null
  const conflict =
    value.conflict === "save" || value.conflict === "changed" || value.conflict === "deleted"
      ? value.conflict
      : undefined
  return { text: value.text, version, ...(conflict ? { conflict } : {}) }
}

/** Keeps a draft; false when the browser refused (storage full). */
export function writeDraft(
  storage: DraftStorage | undefined,
  projectId: string,
  path: string,
  draft: Draft,
): boolean {
  return writeJson(storage, draftKey(projectId, path), draft)
}

export function removeDraft(storage: DraftStorage | undefined, projectId: string, path: string): void {
  storage?.removeItem(draftKey(projectId, path))
}
