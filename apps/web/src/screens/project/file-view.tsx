import { useLocale, useServices, useT } from "../../app-context.tsx"
import { LinkButton } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { DownloadIcon, FileIcon, TrashIcon } from "../../components/icons.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { nameOf } from "../../lib/file-kind.ts"
import { formatBytes } from "../../lib/format.ts"
import { useStore } from "../../lib/store.ts"
import type { Editor } from "../../stores/editor-store.ts"
import type { ProjectSession } from "../../stores/project-session.ts"
import { EditorPane } from "../editor/editor-pane.tsx"
import { useHasBuffer } from "../editor/use-editor.ts"
import { FileNotice } from "./file-notice.tsx"
import { TextView } from "./text-view.tsx"

/** The open file's content (text in the editor), or why it is not shown. */
export function FileView({ session, editor }: { session: ProjectSession; editor: Editor | null }) {
  const { client } = useServices()
  const t = useT()
  const locale = useLocale()
  const view = useStore(session.file.state)
  // Unsaved changes to a file deleted underneath stay in the editor (with the conflict's choices).
  const hasBuffer = useHasBuffer(editor, "path" in view ? view.path : null)
  const size = (bytes: number | null) => (bytes === null ? "?" : formatBytes(bytes, locale))
  const download = (path: string) => (
    <LinkButton href={client.rawUrl(session.projectId, path)} download={nameOf(path)} size="sm">
      <DownloadIcon className="size-3.5" />
      {t("file.download")}
    </LinkButton>
  )

  switch (view.kind) {
    case "none":
      return (
        <FileNotice
          testId="file-none"
          icon={<FileIcon className="size-5" />}
          title={t("file.none.title")}
          body={t("file.none.body")}
        />
      )
    case "loading":
      return (
        <div className="flex h-full items-center justify-center gap-2 text-muted" data-testid="file-loading">
          <Spinner /> {t("file.loading")}
        </div>
      )
    case "text":
      return editor && hasBuffer ? (
        <EditorPane editor={editor} path={view.path} />
      ) : (
        <TextView text={view.content.content} />
      )
    case "image":
      return (
        <div className="flex min-h-full items-center justify-center bg-[repeating-conic-gradient(var(--color-sunken)_0%_25%,transparent_0%_50%)] bg-[length:20px_20px] p-6">
          <img
            src={client.rawUrl(session.projectId, view.path)}
            alt={t("file.imageAlt", { name: nameOf(view.path) })}
            data-testid="file-image"
            className="max-h-[70vh] max-w-full rounded-md shadow-sm"
          />
        </div>
      )
    case "binary":
      return (
        <FileNotice
          testId="file-binary"
          icon={<FileIcon className="size-5" />}
          body={t("file.binary", { size: size(view.size) })}
          action={download(view.path)}
        />
      )
    case "large":
      return (
        <FileNotice
          testId="file-large"
          icon={<FileIcon className="size-5" />}
          body={t("file.large", { size: size(view.size) })}
          action={download(view.path)}
        />
      )
    case "deleted":
      if (editor && hasBuffer) return <EditorPane editor={editor} path={view.path} />
      return (
        <FileNotice testId="file-deleted" icon={<TrashIcon className="size-5" />} body={t("file.deleted")} />
      )
    case "error":
      return (
        <div className="p-4">
          <ErrorNotice error={view.error} testId="file-error" onRetry={() => session.file.open(view.path)} />
        </div>
      )
  }
}
