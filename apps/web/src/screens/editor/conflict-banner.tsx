import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { AlertIcon } from "../../components/icons.tsx"
import type { ConflictReason } from "../../stores/editor-store.ts"

/** Why the buffer and the file disagree, with the choices: theirs, mine, or compare first. */
export function ConflictBanner({
  reason,
  busy,
  onTheirs,
  onMine,
  onCompare,
}: {
  reason: ConflictReason
  busy: boolean
  onTheirs(): void
  onMine(): void
  onCompare(): void
}) {
  const t = useT()
  const deleted = reason === "deleted"
  return (
    <div
      role="alert"
      data-testid="editor-conflict"
      data-reason={reason}
      className="flex shrink-0 flex-wrap items-center gap-x-3 gap-y-2 border-b border-warning/30 bg-warning-soft px-3 py-2"
    >
      <AlertIcon className="size-4 shrink-0 text-warning" />
      <p className="min-w-0 flex-1 basis-64">{t(`editor.conflict.${reason}`)}</p>
      <div className="flex flex-wrap gap-2">
        {deleted ? null : (
          <Button size="sm" onClick={onCompare} data-testid="conflict-compare">
            {t("editor.conflict.compare")}
          </Button>
        )}
        <Button size="sm" onClick={onTheirs} disabled={busy} data-testid="conflict-theirs">
          {t(deleted ? "editor.conflict.discard" : "editor.conflict.takeTheirs")}
        </Button>
        <Button size="sm" variant="primary" onClick={onMine} disabled={busy} data-testid="conflict-mine">
          {t(deleted ? "editor.conflict.recreate" : "editor.conflict.overwrite")}
        </Button>
      </div>
    </div>
  )
}
