import { useEffect, useId, useState } from "react"
import type { MessageKey } from "../../i18n/en.ts"
import type { TranslationParams } from "../../i18n/translate.ts"
import { nameOf } from "../../lib/file-kind.ts"
import type { CallChanges } from "../../stores/call-diff.ts"
import type { ToolDiff } from "../../stores/tool-diff.ts"
import { DiffDialog } from "./diff-dialog.tsx"

export type LoadedCallChanges = { changes: CallChanges; fidelity: ToolDiff["fidelity"] } | null

type Loading = { status: "loading" } | { status: "failed" } | { status: "done"; result: LoadedCallChanges }

/**
 * The diff dialog for one agent call: loads its changes when opened (stores/tool-diff.ts `callChanges`),
 * one file at a time, with a chooser when the call changed several (a command).
 */
export function CallChangesDialog({
  open,
  onClose,
  load,
  t,
  dark,
}: {
  open: boolean
  onClose(): void
  load: () => Promise<LoadedCallChanges>
  t: (key: MessageKey, params?: TranslationParams) => string
  dark: boolean
}) {
  const [loading, setLoading] = useState<Loading>({ status: "loading" })
  const [selected, setSelected] = useState(0)
  const selectId = useId()
  // biome-ignore lint/correctness/useExhaustiveDependencies: loads once per opening, not per render's new load()
  useEffect(() => {
    if (!open) return
    let current = true
    setLoading({ status: "loading" })
    setSelected(0)
    load().then(
      (result) => current && setLoading({ status: "done", result }),
      () => current && setLoading({ status: "failed" }),
    )
    return () => {
      current = false
    }
  }, [open])

  const result = loading.status === "done" ? loading.result : null
  const files = result?.changes.files ?? []
  const file = files[Math.min(selected, files.length - 1)]
  const empty = loading.status === "done" && !file
  const notes = [
    loading.status === "failed" ? t("diff.error") : undefined,
    empty ? t("calldiff.none") : undefined,
    file?.omitted ? t(`calldiff.omitted.${file.omitted}`) : undefined,
    result?.fidelity === "after-only" ? t("diff.afterOnly") : undefined,
    result?.fidelity === "fragments" ? t("diff.fragments") : undefined,
    file && !file.omitted && result?.fidelity === "whole" && file.before === file.after
      ? t("diff.same")
      : undefined,
    result?.changes.truncated ? t("calldiff.truncated") : undefined,
  ].filter((note) => note !== undefined)

  return (
    <DiffDialog
      open={open}
      title={t("diff.title", { name: file ? nameOf(file.path) : "…" })}
      closeLabel={t("diff.close")}
      loadingLabel={t("diff.loading")}
      onClose={onClose}
      diff={file ?? (empty ? { path: "", before: "", after: "" } : null)}
      beforeLabel={t("diff.before")}
      afterLabel={t("diff.after")}
      dark={dark}
      note={notes.length > 0 ? notes.join(" ") : undefined}
      toolbar={
        files.length > 1 ? (
          <div className="flex shrink-0 items-center gap-2 border-b border-line px-4 py-2 text-sm">
            <label htmlFor={selectId} className="text-muted">
              {t("calldiff.file")}
            </label>
            <select
              id={selectId}
              value={Math.min(selected, files.length - 1)}
              onChange={(event) => setSelected(Number(event.target.value))}
              className="min-w-0 flex-1 rounded-md border border-line bg-surface px-2 py-1 font-mono text-xs"
              data-testid="diff-file-select"
            >
              {files.map((entry, index) => (
                <option key={entry.path} value={index}>
                  {`${entry.path} (${t(`calldiff.change.${entry.change}`)})`}
                </option>
              ))}
            </select>
          </div>
        ) : undefined
      }
      testId="tool-diff-dialog"
    />
  )
}
