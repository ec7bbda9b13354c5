import type { FileEntry } from "@xionimus/protocol"
import { useState } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { UploadIcon } from "../../components/icons.tsx"
import { useStore } from "../../lib/store.ts"
import type { Tree } from "../../stores/tree-store.ts"
import { type TreeUi, TreeUiContext, treeDragType } from "./tree-context.tsx"
import { TreeDeleteDialog } from "./tree-delete-dialog.tsx"
import { TreeDirectory } from "./tree-directory.tsx"
import { TreeMenu } from "./tree-menu.tsx"
import { TreeMoveDialog } from "./tree-move-dialog.tsx"
import { useTreeOperations } from "./tree-operations.ts"
import { TreeToolbar } from "./tree-toolbar.tsx"

/**
 * The project's files with their operations: a toolbar (new file, new folder, zip), a context menu per
 * entry, inline names for new entries and renames, drag and drop onto folders (or the empty space below
 * for the root), and the delete and "Move to…" dialogs.
 */
export function FileTree({
  tree,
  currentPath,
  onOpenFile,
  disabled = false,
}: {
  tree: Tree
  currentPath: string | null
  onOpenFile: (path: string, size: number) => void
  disabled?: boolean
}) {
  const t = useT()
  const { toasts } = useServices()
  const root = useStore(tree.state, (state) => state.directories[""])
  const creatingAtRoot = useStore(
    tree.state,
    (state) => state.editing?.kind === "create" && state.editing.parent === "",
  )
  const [droppingOnRoot, setDroppingOnRoot] = useState(false)
  const operations = useTreeOperations(tree, tree.projectId, currentPath, onOpenFile)
  const empty = root?.loaded && root.entries.length === 0 && !creatingAtRoot

  const ui: TreeUi = {
    tree,
    operations,
    currentPath,
    onOpenFile,
    disabled,
    openMenu: (entry: FileEntry, x: number, y: number) => tree.state.patch({ menu: { entry, x, y } }),
    async moveInto(entry, directory) {
      const path = typeof entry === "string" ? entry : entry.path
      const problem = await operations.move(path, directory)
      if (problem)
        toasts.show(
          typeof problem === "string"
            ? { tone: "error", message: problem }
            : { tone: "error", message: problem.message, code: problem.code },
        )
    },
  }
  const carriesEntry = (types: readonly string[]) => !disabled && types.includes(treeDragType)

  return (
    <TreeUiContext value={ui}>
      <TreeToolbar tree={tree} disabled={disabled} />
      <nav
        aria-label={t("tree.label")}
        data-testid="file-tree"
        className={`flex min-h-0 flex-1 flex-col overflow-y-auto p-2 ${droppingOnRoot ? "bg-accent-soft/60" : ""}`}
        onDragOver={(event) => {
          if (!carriesEntry(event.dataTransfer.types)) return
          event.preventDefault()
          event.dataTransfer.dropEffect = "move"
          setDroppingOnRoot(true)
        }}
        onDragLeave={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDroppingOnRoot(false)
        }}
        onDrop={(event) => {
          setDroppingOnRoot(false)
          if (!carriesEntry(event.dataTransfer.types)) return
          event.preventDefault()
          const from = event.dataTransfer.getData(treeDragType)
          if (from) void ui.moveInto(from, "")
        }}
      >
        {empty ? (
          <div
            data-testid="tree-empty"
            className="flex flex-1 flex-col items-center justify-center gap-2 px-4 py-10 text-center"
          >
            <span className="flex size-10 items-center justify-center rounded-xl border border-dashed border-line-strong text-subtle">
              <UploadIcon />
            </span>
            <p className="font-medium">{t("tree.empty.title")}</p>
            <p className="text-xs text-muted">{t("tree.empty.body")}</p>
          </div>
        ) : (
          <TreeDirectory tree={tree} path="" depth={0} currentPath={currentPath} onOpenFile={onOpenFile} />
        )}
        {/* Room below the last entry to drop onto the root. */}
        <div className="min-h-8 flex-1" aria-hidden="true" />
      </nav>
      <TreeMenu projectId={tree.projectId} />
      <TreeDeleteDialog />
      <TreeMoveDialog />
    </TreeUiContext>
  )
}
