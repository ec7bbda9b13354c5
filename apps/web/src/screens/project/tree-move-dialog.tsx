import type { ApiError } from "@xionimus/sdk"
import { useState } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Modal } from "../../components/modal.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { parentOf } from "../../lib/file-kind.ts"
import { useStore } from "../../lib/store.ts"
import type { TreeState } from "../../stores/tree-store.ts"
import { useTreeUi } from "./tree-context.tsx"

/** The folders the tree has seen so far, offered as suggestions (the field takes any path). */
function knownDirectories(state: TreeState): string[] {
  const paths = new Set<string>()
  for (const directory of Object.values(state.directories))
    for (const entry of directory.entries) if (entry.type === "directory") paths.add(entry.path)
  return [...paths].sort()
}

/** "Move to…": the keyboard way to do what dragging onto a folder does. */
export function TreeMoveDialog() {
  const t = useT()
  const { tree, operations } = useTreeUi()
  const dialog = useStore(tree.state, (state) => state.dialog)
  const entry = dialog?.kind === "move" ? dialog.entry : null
  const [destination, setDestination] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | string | null>(null)
  const value = destination ?? (entry ? parentOf(entry.path) : "")
  const close = () => {
    setDestination(null)
    setError(null)
    setBusy(false)
    tree.state.patch({ dialog: null })
  }

  return (
    <Modal
      open={entry !== null}
      title={entry ? t("tree.move.title", { name: entry.name }) : ""}
      closeLabel={t("tree.close")}
      onClose={close}
      testId="tree-move-dialog"
    >
      {entry ? (
        <form
          className="flex flex-col gap-4"
          onSubmit={async (event) => {
            event.preventDefault()
            setBusy(true)
            const directory = value.trim().replace(/^\/+|\/+$/g, "")
            const problem = await operations.move(entry.path, directory)
            if (problem) {
              setError(problem)
              setBusy(false)
            } else close()
          }}
        >
          <label className="flex flex-col gap-1.5">
            <span className="text-sm font-medium">{t("tree.move.destination")}</span>
            <input
              // biome-ignore lint/a11y/noAutofocus: the dialog asks for exactly this.
              autoFocus
              list="tree-move-folders"
              data-testid="tree-move-input"
              aria-describedby="tree-move-hint"
              value={value}
              placeholder="/"
              onChange={(event) => {
                setDestination(event.target.value)
                setError(null)
              }}
              className="h-9 rounded-lg border border-line-strong bg-surface px-3 font-mono text-[13px] focus-visible:outline-2"
            />
            <datalist id="tree-move-folders">
              {knownDirectories(tree.state.get()).map((path) => (
                <option key={path} value={path} />
              ))}
            </datalist>
            <span id="tree-move-hint" className="text-xs text-muted">
              {t("tree.move.hint")}
            </span>
          </label>
          {typeof error === "string" ? (
            <p role="alert" className="text-sm text-danger" data-testid="tree-move-error">
              {error}
            </p>
          ) : error ? (
            <ErrorNotice error={error} compact testId="tree-move-error" />
          ) : null}
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={close}>
              {t("tree.cancel")}
            </Button>
            <Button type="submit" variant="primary" disabled={busy} data-testid="tree-move-submit">
              {busy ? <Spinner className="size-3.5" /> : null}
              {t("tree.move.submit")}
            </Button>
          </div>
        </form>
      ) : null}
    </Modal>
  )
}
