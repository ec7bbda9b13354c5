import type { Project } from "@xionimus/protocol"
import type { ApiError } from "@xionimus/sdk"
import { useState } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { toApiError } from "../../lib/to-api-error.ts"

/** Inline rename: Enter saves, Escape cancels; a refused name shows the server's reason. */
export function RenameForm({ project, onDone }: { project: Project; onDone: () => void }) {
  const { actions } = useServices()
  const t = useT()
  const [name, setName] = useState(project.name)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  async function save(): Promise<void> {
    if (name.trim() === project.name) return onDone()
    setSaving(true)
    try {
      await actions.rename(project, name)
      onDone()
    } catch (caught) {
      setError(toApiError(caught))
      setSaving(false)
    }
  }

  return (
    <form
      className="flex min-w-0 flex-1 flex-col gap-2"
      onSubmit={(event) => {
        event.preventDefault()
        void save()
      }}
    >
      <div className="flex items-center gap-2">
        <input
          // biome-ignore lint/a11y/noAutofocus: the user just asked to rename; focus belongs in the field.
          autoFocus
          aria-label={t("projects.newName")}
          data-testid="rename-input"
          value={name}
          onChange={(event) => setName(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape") onDone()
          }}
          onFocus={(event) => event.target.select()}
          className="h-8 min-w-0 flex-1 rounded-md border border-line-strong bg-surface px-2.5 font-medium focus-visible:outline-2"
        />
        <Button type="submit" size="sm" variant="primary" disabled={saving} data-testid="rename-save">
          {t("projects.save")}
        </Button>
        <Button size="sm" variant="ghost" onClick={onDone}>
          {t("projects.cancel")}
        </Button>
      </div>
      {error ? <ErrorNotice error={error} compact testId="rename-error" /> : null}
    </form>
  )
}
