import { useT } from "../../app-context.tsx"
import { UploadIcon } from "../../components/icons.tsx"
import { useStore } from "../../lib/store.ts"
import type { Tree } from "../../stores/tree-store.ts"
import { TreeDirectory } from "./tree-directory.tsx"

export function FileTree({
  tree,
  currentPath,
  onOpenFile,
}: {
  tree: Tree
  currentPath: string | null
  onOpenFile: (path: string, size: number) => void
}) {
  const t = useT()
  const root = useStore(tree.state, (state) => state.directories[""])
  const empty = root?.loaded && root.entries.length === 0
  return (
    <nav
      aria-label={t("tree.label")}
      data-testid="file-tree"
      className="flex min-h-0 flex-1 flex-col overflow-y-auto p-2"
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
    </nav>
  )
}
