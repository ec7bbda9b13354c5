import { useT } from "../../app-context.tsx"
import { IconButton } from "../../components/button.tsx"
import { FileIcon, FolderIcon } from "../../components/icons.tsx"
import { useStore } from "../../lib/store.ts"
import type { Tree } from "../../stores/tree-store.ts"

/** New file and new folder, in the folder last opened (the upload target). The zip is in the header. */
export function TreeToolbar({ tree, disabled }: { tree: Tree; disabled: boolean }) {
  const t = useT()
  const target = useStore(tree.state, (state) => state.target)
  const where = t("tree.newIn", { dir: target ? `/${target}` : t("project.root") })
  return (
    <div
      role="toolbar"
      aria-label={t("tree.toolbar")}
      className="flex shrink-0 items-center gap-0.5 border-b border-line px-2 py-1"
    >
      <IconButton
        label={`${t("tree.newFile")} (${where})`}
        data-testid="tree-new-file"
        disabled={disabled}
        onClick={() => tree.edit({ kind: "create", parent: target, type: "file" })}
      >
        <PlusBadge>
          <FileIcon />
        </PlusBadge>
      </IconButton>
      <IconButton
        label={`${t("tree.newFolder")} (${where})`}
        data-testid="tree-new-folder"
        disabled={disabled}
        onClick={() => tree.edit({ kind: "create", parent: target, type: "directory" })}
      >
        <PlusBadge>
          <FolderIcon />
        </PlusBadge>
      </IconButton>
    </div>
  )
}

/** An icon with a small plus in its corner: "new …". */
function PlusBadge({ children }: { children: React.ReactNode }) {
  return (
    <span className="relative inline-flex">
      {children}
      <span
        aria-hidden="true"
        className="absolute -right-1.5 -bottom-1 flex size-2.5 items-center justify-center rounded-full bg-surface text-[10px] leading-none font-bold text-accent-text"
      >
        +
      </span>
    </span>
  )
}
