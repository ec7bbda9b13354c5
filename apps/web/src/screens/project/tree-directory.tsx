import { useT } from "../../app-context.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { useStore } from "../../lib/store.ts"
import type { Tree } from "../../stores/tree-store.ts"
import { TreeRow } from "./tree-row.tsx"

/** The entries of one open directory, with its nested open directories below each. */
export function TreeDirectory({
  tree,
  path,
  depth,
  currentPath,
  onOpenFile,
}: {
  tree: Tree
  path: string
  depth: number
  currentPath: string | null
  onOpenFile: (path: string, size: number) => void
}) {
  const t = useT()
  const directory = useStore(tree.state, (state) => state.directories[path])
  const expanded = useStore(tree.state, (state) => state.expanded)
  const indent = { paddingLeft: `${0.5 + depth * 0.875 + 1.25}rem` }

  if (!directory || (!directory.loaded && directory.status === "loading")) {
    return (
      <div style={indent} className="flex h-8 items-center gap-2 text-xs text-muted">
        <Spinner className="size-3" /> {t("tree.loading")}
      </div>
    )
  }
  if (directory.error && !directory.loaded) {
    return (
      <div className="py-1 pr-2" style={{ paddingLeft: indent.paddingLeft }}>
        <ErrorNotice
          error={directory.error}
          compact
          testId="tree-error"
          onRetry={() => tree.refreshSoon(path)}
        />
      </div>
    )
  }
  if (directory.entries.length === 0 && depth > 0) {
    return (
      <div style={indent} className="flex h-8 items-center text-xs text-subtle italic">
        {t("tree.emptyDirectory")}
      </div>
    )
  }
  return (
    <ul className="flex flex-col" aria-label={path || undefined}>
      {directory.entries.map((entry) => {
        const open = entry.type === "directory" && Boolean(expanded[entry.path])
        return (
          <li key={entry.path}>
            <TreeRow
              entry={entry}
              depth={depth}
              expanded={open}
              current={entry.path === currentPath}
              onActivate={() =>
                entry.type === "directory" ? tree.toggle(entry.path) : onOpenFile(entry.path, entry.size)
              }
              onDragEnter={entry.type === "directory" ? () => tree.setTarget(entry.path) : undefined}
            />
            {open ? (
              <TreeDirectory
                tree={tree}
                path={entry.path}
                depth={depth + 1}
                currentPath={currentPath}
                onOpenFile={onOpenFile}
              />
            ) : null}
          </li>
        )
      })}
      {directory.nextCursor ? (
        <li style={indent}>
          <button
            type="button"
            onClick={() => void tree.loadMore(path)}
            disabled={directory.status === "more"}
            data-testid="tree-load-more"
            className="flex h-8 items-center gap-2 rounded-md px-1 text-xs font-medium text-accent-text hover:underline"
          >
            {directory.status === "more" ? <Spinner className="size-3" /> : null}
            {t("tree.loadMore")}
          </button>
        </li>
      ) : null}
    </ul>
  )
}
