import { type ReactNode, useRef } from "react"
import { useT } from "../../app-context.tsx"
import type { PanelTab } from "../../components/panels/panel-tabs.tsx"
import { ResizeHandle } from "../../components/panels/resize-handle.tsx"
import { type PanelId, type PanelLayout, panelSpecs } from "../../lib/panel-sizes.ts"
import { useStore } from "../../lib/store.ts"

export interface WorkspaceSlots {
  tree: ReactNode
  main: ReactNode
  /** Null until the terminal was first opened; from then on it stays mounted (hidden) to keep its shell. */
  terminal: ReactNode
  activity: ReactNode
}

/**
 * The project workspace's panels. Wide: tree | main (with the terminal below) | activity, separated by
 * resize handles. Narrow: one panel at a time, picked by the tab (`files` shows the tree, or the file
 * once one is open).
 */
export function WorkspaceLayout({
  layout,
  wide,
  tab,
  fileOpen,
  slots,
}: {
  layout: PanelLayout
  wide: boolean
  tab: PanelTab
  /** Files view with a file open: on a narrow screen the file replaces the tree. */
  fileOpen: boolean
  slots: WorkspaceSlots
}) {
  const t = useT()
  const { sizes, open } = useStore(layout.state)
  const row = useRef<HTMLDivElement>(null)
  const column = useRef<HTMLDivElement>(null)

  const show = wide
    ? { tree: open.tree, main: true, terminal: open.terminal, activity: open.activity }
    : {
        tree: tab === "files" && !fileOpen,
        main: (tab === "files" && fileOpen) || tab === "chat",
        terminal: tab === "terminal",
        activity: tab === "activity",
      }
  // Side panels take at most 45% of the row; the terminal leaves the main area at least 120 px.
  const limit = (id: PanelId) => {
    if (id === "terminal") return column.current ? column.current.clientHeight - 120 : undefined
    return row.current ? row.current.clientWidth * 0.45 : undefined
  }
  const handle = (id: PanelId, orientation: "vertical" | "horizontal", grow: 1 | -1, label: string) => (
    <ResizeHandle
      orientation={orientation}
      label={label}
      value={sizes[id]}
      min={panelSpecs[id].min}
      max={Math.max(panelSpecs[id].min, Math.min(panelSpecs[id].max, Math.round(limit(id) ?? Infinity)))}
      grow={grow}
      onResize={(size) => layout.resize(id, size, limit(id))}
      onReset={() => layout.reset(id)}
      controls={`panel-${id}`}
      testId={`resize-${id}`}
    />
  )

  return (
    <div ref={row} className="flex min-h-0 min-w-0 flex-1">
      {show.tree ? (
        <aside
          id="panel-tree"
          style={wide ? { width: sizes.tree } : undefined}
          className={`flex flex-col ${wide ? "max-w-[45%] shrink-0" : "w-full"}`}
          data-testid="panel-tree"
        >
          {slots.tree}
        </aside>
      ) : null}
      {wide && show.tree ? handle("tree", "vertical", 1, t("panels.resizeTree")) : null}
      <div
        ref={column}
        className={`${show.main || show.terminal ? "flex" : "hidden"} min-w-0 flex-1 flex-col`}
        data-testid="panel-main"
      >
        <div className={`${show.main ? "flex" : "hidden"} min-h-0 min-w-0 flex-1`}>{slots.main}</div>
        {wide && show.terminal ? handle("terminal", "horizontal", -1, t("panels.resizeTerminal")) : null}
        {slots.terminal ? (
          <div
            id="panel-terminal"
            style={wide ? { height: sizes.terminal } : undefined}
            className={`${show.terminal ? "flex" : "hidden"} min-h-0 min-w-0 ${
              wide ? "max-h-[calc(100%-7.5rem)] shrink-0 border-t border-line" : "flex-1"
            }`}
          >
            {slots.terminal}
          </div>
        ) : null}
      </div>
      {wide && show.activity ? handle("activity", "vertical", -1, t("panels.resizeActivity")) : null}
      {show.activity ? (
        <aside
          id="panel-activity"
          style={wide ? { width: sizes.activity } : undefined}
          className={`flex flex-col ${wide ? "max-w-[45%] shrink-0 border-l border-line" : "w-full"}`}
        >
          {slots.activity}
        </aside>
      ) : null}
    </div>
  )
}
