import { createStore, type Store } from "./store.ts"

/** A resizable panel: its size in CSS pixels along the axis it resizes (width, or height for the terminal). */
export interface PanelSpec {
  initial: number
  min: number
  max: number
}

export const panelSpecs = {
  tree: { initial: 272, min: 180, max: 560 },
  activity: { initial: 320, min: 240, max: 560 },
  terminal: { initial: 260, min: 120, max: 800 },
} satisfies Record<string, PanelSpec>

export type PanelId = keyof typeof panelSpecs
/** Panels that can be shown or hidden (the tree only in the chat view; see project-screen.tsx). */
export type ToggledPanel = "tree" | "activity" | "terminal"

export interface PanelLayoutState {
  sizes: Record<PanelId, number>
  open: Record<ToggledPanel, boolean>
}

/** Sizes and open flags of the project workspace's panels, kept in localStorage per panel. */
export interface PanelLayout {
  state: Store<PanelLayoutState>
  /** Sets a size, clamped to the panel's bounds and to `limit` (what the screen leaves room for); returns it. */
  resize(id: PanelId, size: number, limit?: number): number
  /** Back to the initial size (double-click on the separator). */
  reset(id: PanelId): void
  setOpen(id: ToggledPanel, open: boolean): void
  toggle(id: ToggledPanel): void
}

/** A size within `[min, max]` (a limit below the minimum yields the minimum); not a number → the initial size. */
export function clampSize(size: number, spec: PanelSpec, limit = Number.POSITIVE_INFINITY): number {
  if (!Number.isFinite(size)) return spec.initial
  const max = Math.max(spec.min, Math.min(spec.max, limit))
  return Math.round(Math.min(max, Math.max(spec.min, size)))
}

/** How far an arrow key moves a separator: a small step, a large one with Shift. */
export function keyStep(shift: boolean): number {
  return shift ? 64 : 16
}

const initialOpen: Record<ToggledPanel, boolean> = { tree: true, activity: false, terminal: false }

export const sizeKey = (id: PanelId) => `xionimus.panel.${id}.size`
export const openKey = (id: ToggledPanel) => `xionimus.panel.${id}.open`

function read(storage: Storage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null
  } catch {
    return null
  }
}

function write(storage: Storage | null, key: string, value: string | null): void {
  try {
    if (value === null) storage?.removeItem(key)
    else storage?.setItem(key, value)
  } catch {
    // Private mode or a full quota: the layout holds for this visit only.
  }
}

export function createPanelLayout(storage: Storage | null): PanelLayout {
  const ids = Object.keys(panelSpecs) as PanelId[]
  const sizes = {} as Record<PanelId, number>
  for (const id of ids) {
    const stored = read(storage, sizeKey(id))
    sizes[id] = clampSize(stored === null ? Number.NaN : Number(stored), panelSpecs[id])
  }
  const open = { ...initialOpen }
  for (const id of Object.keys(initialOpen) as ToggledPanel[]) {
    const stored = read(storage, openKey(id))
    if (stored === "true" || stored === "false") open[id] = stored === "true"
  }
  const state = createStore<PanelLayoutState>({ sizes, open })

  const setSize = (id: PanelId, size: number, persist: boolean) => {
    state.set((previous) =>
      previous.sizes[id] === size ? previous : { ...previous, sizes: { ...previous.sizes, [id]: size } },
    )
    write(storage, sizeKey(id), persist ? String(size) : null)
  }
  const setOpen = (id: ToggledPanel, value: boolean) => {
    state.set((previous) =>
      previous.open[id] === value ? previous : { ...previous, open: { ...previous.open, [id]: value } },
    )
    write(storage, openKey(id), String(value))
  }

  return {
    state,
    resize(id, size, limit) {
      const next = clampSize(size, panelSpecs[id], limit)
      setSize(id, next, true)
      return next
    },
    reset(id) {
      setSize(id, panelSpecs[id].initial, false)
    },
    setOpen,
    toggle(id) {
      setOpen(id, !state.get().open[id])
    },
  }
}
