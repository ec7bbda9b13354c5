import { useState } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { CloseIcon } from "../../components/icons.tsx"
import { Modal } from "../../components/modal.tsx"
import { nameOf } from "../../lib/file-kind.ts"
import { useStore } from "../../lib/store.ts"
import { type Editor, isDirty } from "../../stores/editor-store.ts"

/** The open files of the project: one tab each, a dot for unsaved changes, close (asks when unsaved). */
export function EditorTabs({ editor, onOpen }: { editor: Editor; onOpen(path: string | null): void }) {
  const t = useT()
  const { tabs, active, buffers } = useStore(editor.state)
  const [closing, setClosing] = useState<string | null>(null)
  if (tabs.length === 0) return null

  const close = (path: string) => {
    const next = editor.close(path)
    if (path === active) onOpen(next)
  }
  const askClose = (path: string) => (isDirty(buffers[path]) ? setClosing(path) : close(path))

  return (
    <>
      <div
        role="tablist"
        aria-label={t("editor.tabs")}
        className="flex h-9 shrink-0 items-stretch overflow-x-auto border-b border-line bg-sunken"
        data-testid="editor-tabs"
        onKeyDown={(event) => {
          // The tab pattern: arrows move between tabs, Home/End to the ends, Delete closes.
          const index = active === null ? -1 : tabs.indexOf(active)
          const target =
            event.key === "ArrowRight"
              ? tabs[(index + 1) % tabs.length]
              : event.key === "ArrowLeft"
                ? tabs[(index - 1 + tabs.length) % tabs.length]
                : event.key === "Home"
                  ? tabs[0]
                  : event.key === "End"
                    ? tabs.at(-1)
                    : undefined
          if (event.key === "Delete" && active) {
            event.preventDefault()
            askClose(active)
          } else if (target) {
            event.preventDefault()
            onOpen(target)
            const list = event.currentTarget
            requestAnimationFrame(() =>
              list.querySelector<HTMLElement>(`[data-path="${CSS.escape(target)}"] [role="tab"]`)?.focus(),
            )
          }
        }}
      >
        {tabs.map((path) => {
          const selected = path === active
          const dirty = isDirty(buffers[path])
          const name = nameOf(path)
          return (
            <div
              key={path}
              role="presentation"
              className={`group flex shrink-0 items-center border-r border-line ${selected ? "bg-surface text-fg" : "text-muted hover:text-fg"}`}
              data-testid="editor-tab"
              data-path={path}
              data-dirty={dirty ? "true" : "false"}
            >
              <button
                type="button"
                role="tab"
                aria-selected={selected}
                tabIndex={selected || (active === null && path === tabs[0]) ? 0 : -1}
                title={path}
                onClick={() => onOpen(path)}
                onAuxClick={(event) => {
                  if (event.button === 1) askClose(path)
                }}
                className="flex h-full max-w-56 items-center gap-1.5 truncate pr-1 pl-3 font-mono text-xs"
              >
                <span className="truncate">{name}</span>
                {dirty ? (
                  <span className="size-2 shrink-0 rounded-full bg-accent" data-testid="editor-tab-dirty">
                    <span className="sr-only">, {t("editor.tab.unsaved")}</span>
                  </span>
                ) : null}
              </button>
              <button
                type="button"
                aria-label={t("editor.tab.close", { name })}
                title={t("editor.tab.close", { name })}
                onClick={() => askClose(path)}
                tabIndex={selected ? 0 : -1}
                className="mr-1 flex size-6 items-center justify-center rounded text-subtle hover:bg-line hover:text-fg"
                data-testid="editor-tab-close"
              >
                <CloseIcon className="size-3.5" />
              </button>
            </div>
          )
        })}
      </div>
      <Modal
        open={closing !== null}
        title={t("editor.close.title")}
        closeLabel={t("editor.close.cancel")}
        onClose={() => setClosing(null)}
        testId="editor-close-confirm"
      >
        <p className="mb-5">{t("editor.close.body", { name: closing ? nameOf(closing) : "" })}</p>
        <div className="flex justify-end gap-2">
          <Button onClick={() => setClosing(null)}>{t("editor.close.cancel")}</Button>
          <Button
            variant="primary"
            data-testid="editor-close-discard"
            onClick={() => {
              if (closing) close(closing)
              setClosing(null)
            }}
          >
            {t("editor.close.discard")}
          </Button>
        </div>
      </Modal>
    </>
  )
}
