import { useT } from "../../app-context.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { useStore } from "../../lib/store.ts"
import type { Tree } from "../../stores/tree-store.ts"
import { useTreeUi } from "./tree-context.tsx"
import { TreeNameInput } from "./tree-name-input.tsx"
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
  const editing = useStore(tree.state, (state) => state.editing)
  const { operations } = useTreeUi()
  const stopEditing = () => tree.edit(null)
  const creating = editing?.kind === "create" && editing.parent === path ? editing : null
  const newEntry = creating ? (
    <TreeNameInput
      initial=""
      depth={depth}
      type={creating.type}
      label={t(creating.type === "file" ? "tree.name.file" : "tree.name.directory")}
      onCancel={stopEditing}
      onSubmit={async (name) => {
        const problem = await operations.create(path, name, creating.type)
        if (!problem) stopEditing()
        return problem
      }}
    />
  ) : null
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
  if (directory.entries.length === 0 && depth > 0 && !creating) {
    return (
      <div style={indent} className="flex h-8 items-center text-xs text-subtle italic">
        {t("tree.emptyDirectory")}
      </div>
    )
  }
  return (
    <ul className="flex flex-col" aria-label={path || undefined}>
      {newEntry ? <li>{newEntry}</li> : null}
      {directory.entries.map((entry) => {
        const open = entry.type === "directory" && Boolean(expanded[entry.path])
        const renaming = editing?.kind === "rename" && editing.path === entry.path
        return (
          <li key={entry.path}>
            {renaming ? (
              <TreeNameInput
                initial={entry.name}
                depth={depth}
                type={entry.type === "directory" ? "directory" : "file"}
                label={t("tree.name.rename", { name: entry.name })}
                onCancel={stopEditing}
                onSubmit={async (name) => {
                  const problem = await operations.rename(entry.path, name)
                  if (!problem) stopEditing()
                  return problem
                }}
              />
            ) : (
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
            )}
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
