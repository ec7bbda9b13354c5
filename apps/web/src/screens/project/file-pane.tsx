import { type KeyboardEvent, useEffect } from "react"
import { useLocale, useServices, useT } from "../../app-context.tsx"
import { Button, LinkButton } from "../../components/button.tsx"
import { ChevronLeftIcon, DownloadIcon } from "../../components/icons.tsx"
import { nameOf } from "../../lib/file-kind.ts"
import { formatBytes } from "../../lib/format.ts"
import { useStore } from "../../lib/store.ts"
import { type Editor, isDirty } from "../../stores/editor-store.ts"
import type { ProjectSession } from "../../stores/project-session.ts"
import { EditorTabs } from "../editor/editor-tabs.tsx"
import { useEditor } from "../editor/use-editor.ts"
import { FileView } from "./file-view.tsx"

/** The right-hand pane: the open files' tabs, the file's path, facts and Save above its content. */
export function FilePane({ session, onBack }: { session: ProjectSession; onBack: () => void }) {
  const { client, router } = useServices()
  const t = useT()
  const locale = useLocale()
  const view = useStore(session.file.state)
  const path = "path" in view ? view.path : null
  const editor = useEditor(session)
  useEffect(() => editor?.show(path), [editor, path])
  const openTab = (next: string | null) =>
    router.navigate({ name: "project", projectId: session.projectId, path: next })
  // Ctrl/Cmd+S anywhere in the pane (the editor handles it itself while it has the focus).
  const onKeyDown = (event: KeyboardEvent) => {
    if (!editor || !path || event.defaultPrevented) return
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
      event.preventDefault()
      void editor.save(path)
    }
  }
  const facts: string[] = []
  if (view.kind === "text") {
    facts.push(formatBytes(view.content.entry.size, locale))
    const lines = view.content.content.split("\n").length - (view.content.content.endsWith("\n") ? 1 : 0)
    facts.push(t("file.lines", { count: lines.toLocaleString(locale) }))
  }

  return (
    <section
      className="flex min-h-0 min-w-0 flex-1 flex-col"
      aria-label={path ?? t("file.none.title")}
      data-testid="file-pane"
      onKeyDown={onKeyDown}
    >
      {editor ? <EditorTabs editor={editor} onOpen={openTab} /> : null}
      {path ? (
        <div className="flex h-11 shrink-0 items-center gap-2 border-b border-line px-2 sm:px-4">
          <button
            type="button"
            onClick={onBack}
            className="flex items-center gap-1 rounded-md px-1.5 py-1 text-[13px] text-muted hover:bg-sunken hover:text-fg md:hidden"
          >
            <ChevronLeftIcon className="size-4" />
            {t("file.backToFiles")}
          </button>
          <p className="min-w-0 flex-1 truncate font-mono text-[12.5px]" data-testid="file-path" title={path}>
            <span className="text-subtle">
              {path.includes("/") ? `${path.slice(0, path.lastIndexOf("/") + 1)}` : ""}
            </span>
            <span className="font-medium text-fg">{nameOf(path)}</span>
          </p>
          {facts.length > 0 ? (
            <span className="hidden shrink-0 text-xs text-muted sm:inline">{facts.join(" · ")}</span>
          ) : null}
          {editor ? <SaveButton editor={editor} path={path} /> : null}
          {view.kind !== "deleted" ? (
            <LinkButton
              href={client.rawUrl(session.projectId, path)}
              download={nameOf(path)}
              size="sm"
              variant="ghost"
              aria-label={t("file.downloadLabel", { name: nameOf(path) })}
              title={t("file.downloadLabel", { name: nameOf(path) })}
              data-testid="file-download"
            >
              <DownloadIcon className="size-4" />
            </LinkButton>
          ) : null}
        </div>
      ) : null}
      <div className="min-h-0 flex-1 overflow-auto">
        <FileView session={session} editor={editor} />
      </div>
    </section>
  )
}

/** Save (Ctrl/Cmd+S): only for a text file with unsaved changes and no open conflict. */
function SaveButton({ editor, path }: { editor: Editor; path: string }) {
  const t = useT()
  const buffer = useStore(editor.state, (state) => state.buffers[path])
  if (!buffer) return null
  const name = nameOf(path)
  return (
    <Button
      size="sm"
      variant={isDirty(buffer) && !buffer.conflict ? "primary" : "ghost"}
      disabled={!isDirty(buffer) || buffer.conflict !== null || buffer.saving}
      onClick={() => void editor.save(path)}
      aria-label={t("editor.saveLabel", { name })}
      title={t("editor.saveLabel", { name })}
      data-testid="editor-save"
      data-state={buffer.saving ? "saving" : isDirty(buffer) ? "dirty" : "saved"}
    >
      {buffer.saving ? t("editor.saving") : isDirty(buffer) ? t("editor.save") : t("editor.saved")}
    </Button>
  )
}
