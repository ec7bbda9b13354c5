import { type KeyboardEvent, type ReactNode, useEffect, useLayoutEffect, useRef, useState } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { DownloadIcon, FileIcon, FolderIcon, PencilIcon, TrashIcon } from "../../components/icons.tsx"
import { useStore } from "../../lib/store.ts"
import type { TreeEditing } from "../../stores/tree-store.ts"
import { useTreeUi } from "./tree-context.tsx"

const itemClass =
  "flex h-8 w-full items-center gap-2 rounded-md px-2.5 text-left text-[13px] text-fg hover:bg-sunken focus:bg-sunken focus-visible:outline-none"

/**
 * The context menu of one entry (right-click, the "…" button, the menu key or Shift+F10): arrow keys,
 * Home and End move between items, Enter picks, Escape and Tab close and give focus back to the row.
 */
export function TreeMenu({ projectId }: { projectId: string }) {
  const { client } = useServices()
  const t = useT()
  const { tree, onOpenFile } = useTreeUi()
  const menu = useStore(tree.state, (state) => state.menu)
  const ref = useRef<HTMLDivElement>(null)
  const [position, setPosition] = useState<{ left: number; top: number } | null>(null)

  // Keep the menu inside the window, then focus its first item.
  useLayoutEffect(() => {
    const element = ref.current
    if (!menu || !element) return setPosition(null)
    const box = element.getBoundingClientRect()
    setPosition({
      left: Math.max(4, Math.min(menu.x, window.innerWidth - box.width - 4)),
      top: Math.max(4, Math.min(menu.y, window.innerHeight - box.height - 4)),
    })
    element.querySelector<HTMLElement>("[role=menuitem]")?.focus()
  }, [menu])

  useEffect(() => {
    if (!menu) return
    const closeOutside = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) tree.state.patch({ menu: null })
    }
    const closeOnScroll = () => tree.state.patch({ menu: null })
    document.addEventListener("pointerdown", closeOutside, true)
    window.addEventListener("resize", closeOnScroll)
    return () => {
      document.removeEventListener("pointerdown", closeOutside, true)
      window.removeEventListener("resize", closeOnScroll)
    }
  }, [menu, tree])

  if (!menu) return null
  const { entry } = menu
  const directory = entry.type === "directory"

  function close(refocus: boolean): void {
    tree.state.patch({ menu: null })
    if (refocus)
      document
        .querySelector<HTMLElement>(`[data-testid=tree-entry][data-path="${CSS.escape(entry.path)}"]`)
        ?.focus()
  }
  function pick(run: () => void): void {
    close(false)
    run()
  }
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    const items = [...(ref.current?.querySelectorAll<HTMLElement>("[role=menuitem]") ?? [])]
    const index = items.indexOf(document.activeElement as HTMLElement)
    const focus = (next: number) => items[(next + items.length) % items.length]?.focus()
    if (event.key === "ArrowDown") focus(index + 1)
    else if (event.key === "ArrowUp") focus(index - 1)
    else if (event.key === "Home") focus(0)
    else if (event.key === "End") focus(items.length - 1)
    else if (event.key === "Escape" || event.key === "Tab") close(true)
    else return
    event.preventDefault()
  }

  const item = (key: string, icon: ReactNode, label: string, run: () => void) => (
    <button
      key={key}
      type="button"
      role="menuitem"
      tabIndex={-1}
      data-testid={`tree-menu-${key}`}
      className={itemClass}
      onClick={() => pick(run)}
    >
      {icon}
      {label}
    </button>
  )
  const edit = (editing: TreeEditing) => () => tree.edit(editing)

  return (
    <div
      ref={ref}
      role="menu"
      aria-label={t("tree.menu.label", { name: entry.name })}
      data-testid="tree-menu"
      tabIndex={-1}
      onKeyDown={onKeyDown}
      style={position ?? { left: menu.x, top: menu.y }}
      className="fixed z-50 flex min-w-48 flex-col rounded-lg border border-line bg-surface p-1 shadow-xl"
    >
      {directory ? (
        <>
          {item(
            "new-file",
            <FileIcon className="size-4 text-subtle" />,
            t("tree.menu.newFile"),
            edit({ kind: "create", parent: entry.path, type: "file" }),
          )}
          {item(
            "new-folder",
            <FolderIcon className="size-4 text-subtle" />,
            t("tree.menu.newFolder"),
            edit({ kind: "create", parent: entry.path, type: "directory" }),
          )}
        </>
      ) : (
        item("open", <FileIcon className="size-4 text-subtle" />, t("tree.menu.open"), () =>
          onOpenFile(entry.path, entry.size),
        )
      )}
      {item(
        "rename",
        <PencilIcon className="size-4 text-subtle" />,
        t("tree.menu.rename"),
        edit({ kind: "rename", path: entry.path }),
      )}
      {item("move", <MoveIcon />, t("tree.menu.move"), () =>
        tree.state.patch({ dialog: { kind: "move", entry } }),
      )}
      {directory ? null : (
        <a
          role="menuitem"
          tabIndex={-1}
          data-testid="tree-menu-download"
          className={itemClass}
          href={client.rawUrl(projectId, entry.path)}
          download={entry.name}
          onClick={() => close(false)}
        >
          <DownloadIcon className="size-4 text-subtle" />
          {t("tree.menu.download")}
        </a>
      )}
      <hr className="my-1 border-line" />
      {item("delete", <TrashIcon className="size-4 text-danger" />, t("tree.menu.delete"), () =>
        tree.state.patch({ dialog: { kind: "delete", entry } }),
      )}
    </div>
  )
}

function MoveIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      className="size-4 text-subtle"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z" />
      <path d="M10 13h6m-2-2 2 2-2 2" />
    </svg>
  )
}
