import type { FileEntry } from "@xionimus/protocol"
import { createContext, useContext } from "react"
import type { Tree } from "../../stores/tree-store.ts"
import type { TreeOperations } from "./tree-operations.ts"

/** What every row of the tree needs besides its entry; given once by FileTree. */
export interface TreeUi {
  tree: Tree
  operations: TreeOperations
  currentPath: string | null
  onOpenFile: (path: string, size: number) => void
  /** Moves an entry into a directory (drag and drop); failures show as a toast. */
  moveInto(entry: FileEntry | string, directory: string): Promise<void>
  /** Opens the context menu of an entry at a viewport point. */
  openMenu(entry: FileEntry, x: number, y: number): void
  disabled: boolean
}

export const TreeUiContext = createContext<TreeUi | null>(null)

export function useTreeUi(): TreeUi {
  const ui = useContext(TreeUiContext)
  if (!ui) throw new Error("useTreeUi() outside <FileTree>")
  return ui
}

/** The drag data type of an entry dragged inside the tree (files from the desktop carry "Files"). */
export const treeDragType = "application/x-xionimus-path"
