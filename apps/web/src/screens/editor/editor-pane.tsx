import { Suspense, useState } from "react"
import { useLocale, useServices, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { nameOf } from "../../lib/file-kind.ts"
import { useStore } from "../../lib/store.ts"
import type { Editor } from "../../stores/editor-store.ts"
import { TextView } from "../project/text-view.tsx"
import { ConflictBanner } from "./conflict-banner.tsx"
import { DiffDialog } from "./diff-dialog.tsx"
import { LazyCodeEditor } from "./lazy.ts"
import { useSaveCommand } from "./use-save-command.ts"

/** One open text file: notes (restored draft, conflict, failed save) above the editor. */
export function EditorPane({ editor, path }: { editor: Editor; path: string }) {
  const t = useT()
  const locale = useLocale()
  const { settings } = useServices()
  const dark = useStore(settings.state, (state) => state.dark)
  const buffer = useStore(editor.state, (state) => state.buffers[path])
  const storageFull = useStore(editor.state, (state) => state.storageFull)
  const [comparing, setComparing] = useState(false)
  useSaveCommand(editor, path)
  if (!buffer) return null
  const name = nameOf(path)

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="editor-pane">
      {buffer.conflict ? (
        <ConflictBanner
          reason={buffer.conflict}
          busy={buffer.saving}
          onTheirs={() => editor.takeTheirs(path)}
          onMine={() => void editor.overwrite(path)}
          onCompare={() => setComparing(true)}
        />
      ) : null}
      {buffer.restored && !buffer.conflict ? (
        <div
          role="status"
          className="flex shrink-0 flex-wrap items-center gap-3 border-b border-accent/20 bg-accent-soft px-3 py-2"
          data-testid="editor-restored"
        >
          <p className="min-w-0 flex-1">{t("editor.restored")}</p>
          <Button size="sm" variant="ghost" onClick={() => editor.acknowledgeRestored(path)}>
            {t("editor.restored.keep")}
          </Button>
          <Button size="sm" onClick={() => editor.takeTheirs(path)} data-testid="editor-restored-discard">
            {t("editor.restored.discard")}
          </Button>
        </div>
      ) : null}
      {storageFull ? (
        <p
          role="alert"
          className="shrink-0 border-b border-line bg-warning-soft px-3 py-2"
          data-testid="editor-storage-full"
        >
          {t("editor.storageFull")}
        </p>
      ) : null}
      {buffer.error ? (
        <div className="shrink-0 p-2">
          <ErrorNotice
            error={buffer.error}
            compact
            testId="editor-save-error"
            onRetry={() => void editor.save(path)}
          />
        </div>
      ) : null}
      <div className="min-h-0 flex-1 overflow-hidden">
        <Suspense
          fallback={
            <div className="h-full overflow-auto" aria-busy="true" title={t("editor.loading")}>
              <TextView text={buffer.text} />
            </div>
          }
        >
          <LazyCodeEditor
            key={path}
            path={path}
            text={buffer.text}
            dark={dark}
            locale={locale}
            label={t("editor.label", { name })}
            onChange={(text) => editor.edit(path, text)}
            onSave={() => void editor.save(path)}
            viewStates={editor.viewStates}
          />
        </Suspense>
      </div>
      <DiffDialog
        open={comparing && buffer.conflict !== null}
        title={t("diff.conflictTitle", { name })}
        closeLabel={t("diff.close")}
        loadingLabel={t("diff.loading")}
        onClose={() => setComparing(false)}
        diff={{ path, before: buffer.base, after: buffer.text }}
        beforeLabel={t("diff.theirs")}
        afterLabel={t("diff.mine")}
        dark={dark}
        note={buffer.base === buffer.text ? t("diff.same") : undefined}
        actions={
          <>
            <Button
              size="sm"
              onClick={() => {
                editor.takeTheirs(path)
                setComparing(false)
              }}
              data-testid="diff-take-theirs"
            >
              {t("editor.conflict.takeTheirs")}
            </Button>
            <Button
              size="sm"
              variant="primary"
              onClick={() => {
                setComparing(false)
                void editor.overwrite(path)
              }}
              data-testid="diff-keep-mine"
            >
              {t("editor.conflict.overwrite")}
            </Button>
          </>
        }
      />
    </div>
  )
}
