import type { FileEntry } from "@xionimus/protocol"
import { type KeyboardEvent, useState } from "react"
import { useT } from "../../app-context.tsx"
import { ChevronRightIcon, FileIcon, FolderIcon, ImageIcon } from "../../components/icons.tsx"
import { isImagePath } from "../../lib/file-kind.ts"
import { treeDragType, useTreeUi } from "./tree-context.tsx"

/**
 * One line of the tree: a folder (toggles) or a file (opens), indented by depth, with a "…" button for its
 * menu. It can be dragged onto a folder; the menu key, Shift+F10, F2 and Delete work on the focused row.
 */
export function TreeRow({
  entry,
  depth,
  expanded,
  current,
  onActivate,
  onDragEnter,
}: {
  entry: FileEntry
  depth: number
  expanded: boolean
  current: boolean
  onActivate: () => void
  onDragEnter?: () => void
}) {
  const t = useT()
  const ui = useTreeUi()
  const [dropping, setDropping] = useState(false)
  const directory = entry.type === "directory"
  const Icon = directory ? FolderIcon : isImagePath(entry.path) ? ImageIcon : FileIcon
  const carriesEntry = (types: readonly string[]) => directory && !ui.disabled && types.includes(treeDragType)

  function onKeyDown(event: KeyboardEvent<HTMLElement>): void {
    if (ui.disabled) return
    if (event.key === "ContextMenu" || (event.key === "F10" && event.shiftKey)) {
      event.preventDefault()
      const box = event.currentTarget.getBoundingClientRect()
      ui.openMenu(entry, box.left + 24, box.bottom)
    } else if (event.key === "F2") {
      event.preventDefault()
      ui.tree.edit({ kind: "rename", path: entry.path })
    } else if (event.key === "Delete") {
      event.preventDefault()
      ui.tree.state.patch({ dialog: { kind: "delete", entry } })
    }
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping is a shortcut; "Move to…" in the menu does the same by keyboard.
    <div
      className={`group relative flex items-center rounded-md ${dropping ? "bg-accent-soft ring-2 ring-accent" : ""}`}
      data-testid="tree-row"
      data-path={entry.path}
      title={dropping ? t("tree.dropInto", { dir: `/${entry.path}` }) : undefined}
      onContextMenu={(event) => {
        if (ui.disabled) return
        event.preventDefault()
        ui.openMenu(entry, event.clientX, event.clientY)
      }}
      onDragOver={(event) => {
        if (!carriesEntry(event.dataTransfer.types)) return
        event.preventDefault()
        event.stopPropagation()
        event.dataTransfer.dropEffect = "move"
        setDropping(true)
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={(event) => {
        if (!carriesEntry(event.dataTransfer.types)) return
        event.preventDefault()
        event.stopPropagation()
        setDropping(false)
        const from = event.dataTransfer.getData(treeDragType)
        if (from) void ui.moveInto(from, entry.path)
      }}
    >
      <button
        type="button"
        data-testid="tree-entry"
        data-path={entry.path}
        data-type={entry.type}
        aria-expanded={directory ? expanded : undefined}
        aria-current={current ? "true" : undefined}
        aria-keyshortcuts="Shift+F10 F2 Delete"
        draggable={!ui.disabled}
        onDragStart={(event) => {
          event.dataTransfer.setData(treeDragType, entry.path)
          event.dataTransfer.effectAllowed = "move"
        }}
        onClick={onActivate}
        onKeyDown={onKeyDown}
        onDragEnter={onDragEnter}
        style={{ paddingLeft: `${0.5 + depth * 0.875}rem` }}
        className={`flex h-8 min-w-0 flex-1 items-center gap-1.5 rounded-md pr-8 text-left text-[13px] transition-colors focus-visible:-outline-offset-2 ${
          current ? "bg-accent-soft font-medium text-accent-text" : "text-fg hover:bg-sunken"
        }`}
      >
        <ChevronRightIcon
          className={`size-3.5 shrink-0 text-subtle transition-transform ${directory ? "" : "invisible"} ${expanded ? "rotate-90" : ""}`}
        />
        <Icon
          className={`size-4 shrink-0 ${current ? "text-accent-text" : directory ? "text-accent-text/80" : "text-subtle"}`}
        />
        <span className="truncate">{entry.name}</span>
      </button>
      {ui.disabled ? null : (
        <button
          type="button"
          aria-label={t("tree.actionsFor", { name: entry.name })}
          title={t("tree.actionsFor", { name: entry.name })}
          aria-haspopup="menu"
          data-testid="tree-entry-menu"
          onClick={(event) => {
            const box = event.currentTarget.getBoundingClientRect()
            ui.openMenu(entry, box.right - 4, box.bottom)
          }}
          className="absolute right-1 flex size-6 items-center justify-center rounded text-muted opacity-0 group-hover:opacity-100 hover:bg-surface hover:text-fg focus-visible:opacity-100 group-focus-within:opacity-100 pointer-coarse:opacity-100"
        >
          <MoreIcon />
        </button>
      )}
    </div>
  )
}

function MoreIcon() {
  return (
    <svg viewBox="0 0 16 16" className="size-4" fill="currentColor" aria-hidden="true">
      <circle cx="3.5" cy="8" r="1.3" />
      <circle cx="8" cy="8" r="1.3" />
      <circle cx="12.5" cy="8" r="1.3" />
    </svg>
  )
}
