import type { ApiError } from "@xionimus/sdk"
import { useState } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Modal } from "../../components/modal.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { useStore } from "../../lib/store.ts"
import { useTreeUi } from "./tree-context.tsx"

/** Asks before deleting an entry; says whether an undo will be offered. */
export function TreeDeleteDialog() {
  const t = useT()
  const { tree, operations } = useTreeUi()
  const dialog = useStore(tree.state, (state) => state.dialog)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const entry = dialog?.kind === "delete" ? dialog.entry : null
  const close = () => {
    setError(null)
    setBusy(false)
    tree.state.patch({ dialog: null })
  }

  return (
    <Modal
      open={entry !== null}
      title={entry ? t("tree.delete.title", { name: entry.name }) : ""}
      closeLabel={t("tree.close")}
      onClose={close}
      testId="tree-delete-dialog"
    >
      {entry ? (
        <div className="flex flex-col gap-4">
          <p className="text-muted">
            <code className="font-mono text-fg">/{entry.path}</code>
            <br />
            {t(entry.type === "directory" ? "tree.delete.directory" : "tree.delete.file")}
          </p>
          {error ? <ErrorNotice error={error} compact testId="tree-delete-error" /> : null}
          <div className="flex justify-end gap-2">
            <Button variant="ghost" onClick={close}>
              {t("tree.cancel")}
            </Button>
            <Button
              variant="primary"
              data-testid="tree-delete-confirm"
              disabled={busy}
              onClick={async () => {
                setBusy(true)
                const problem = await operations.remove(entry)
                if (problem) {
                  setError(problem)
                  setBusy(false)
                } else close()
              }}
            >
              {busy ? <Spinner className="size-3.5" /> : null}
              {t("tree.delete.confirm")}
            </Button>
          </div>
        </div>
      ) : null}
    </Modal>
  )
}
