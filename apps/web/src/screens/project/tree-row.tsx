import type { FileEntry } from "@xionimus/protocol"
import { ChevronRightIcon, FileIcon, FolderIcon, ImageIcon } from "../../components/icons.tsx"
import { isImagePath } from "../../lib/file-kind.ts"

/** One line of the tree: a folder (toggles) or a file (opens). Indented by depth. */
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
  const directory = entry.type === "directory"
  const Icon = directory ? FolderIcon : isImagePath(entry.path) ? ImageIcon : FileIcon
  return (
    <button
      type="button"
      data-testid="tree-entry"
      data-path={entry.path}
      data-type={entry.type}
      aria-expanded={directory ? expanded : undefined}
      aria-current={current ? "true" : undefined}
      onClick={onActivate}
      onDragEnter={onDragEnter}
      style={{ paddingLeft: `${0.5 + depth * 0.875}rem` }}
      className={`flex h-8 w-full items-center gap-1.5 rounded-md pr-2 text-left text-[13px] transition-colors focus-visible:-outline-offset-2 ${
        current ? "bg-accent-soft font-medium text-accent-text" : "text-fg hover:bg-sunken"
      }`}
    >
      <ChevronRightIcon
        className={`size-3.5 text-subtle transition-transform ${directory ? "" : "invisible"} ${expanded ? "rotate-90" : ""}`}
      />
      <Icon
        className={`size-4 ${current ? "text-accent-text" : directory ? "text-accent-text/80" : "text-subtle"}`}
      />
      <span className="truncate">{entry.name}</span>
    </button>
  )
}
