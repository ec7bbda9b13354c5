import type { ApiError } from "@xionimus/sdk"
import { useState } from "react"
import { useT } from "../../app-context.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { FileIcon, FolderIcon } from "../../components/icons.tsx"

/**
 * The inline name field of a new entry or a rename: Enter saves, Escape (or leaving it untouched) cancels;
 * a refused name stays in the field with the reason below it.
 */
export function TreeNameInput({
  initial,
  label,
  depth,
  type,
  onSubmit,
  onCancel,
}: {
  initial: string
  label: string
  depth: number
  type: "file" | "directory"
  onSubmit: (name: string) => Promise<ApiError | string | null>
  onCancel: () => void
}) {
  const t = useT()
  const [name, setName] = useState(initial)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<ApiError | string | null>(null)
  const Icon = type === "directory" ? FolderIcon : FileIcon

  async function submit(): Promise<void> {
    if (saving) return
    setSaving(true)
    const problem = await onSubmit(name)
    setSaving(false)
    if (problem) setError(problem)
  }

  return (
    <div
      className="flex flex-col gap-1 py-0.5 pr-2"
      style={{ paddingLeft: `${0.5 + depth * 0.875 + 1.25}rem` }}
    >
      <div className="flex items-center gap-1.5">
        <Icon className="size-4 shrink-0 text-subtle" />
        <input
          // biome-ignore lint/a11y/noAutofocus: the user just asked for a name; focus belongs in the field.
          autoFocus
          aria-label={label}
          aria-describedby="tree-name-hint"
          aria-invalid={error ? true : undefined}
          data-testid="tree-name-input"
          value={name}
          disabled={saving}
          onChange={(event) => {
            setName(event.target.value)
            setError(null)
          }}
          onFocus={(event) => {
            // Select the name without its extension, as file managers do.
            const dot = event.target.value.lastIndexOf(".")
            event.target.setSelectionRange(0, type === "file" && dot > 0 ? dot : event.target.value.length)
          }}
          onKeyDown={(event) => {
            if (event.key === "Enter") {
              event.preventDefault()
              void submit()
            } else if (event.key === "Escape") {
              event.preventDefault()
              event.stopPropagation()
              onCancel()
            }
          }}
          onBlur={() => {
            if (!saving && !error && name === initial) onCancel()
          }}
          className="h-7 min-w-0 flex-1 rounded-md border border-line-strong bg-surface px-2 font-mono text-[12.5px] focus-visible:outline-2"
        />
      </div>
      <p id="tree-name-hint" className="sr-only">
        {t("tree.name.hint")}
      </p>
      {typeof error === "string" ? (
        <p role="alert" className="text-xs text-danger" data-testid="tree-name-error">
          {error}
        </p>
      ) : error ? (
        <ErrorNotice error={error} compact testId="tree-name-error" />
      ) : null}
    </div>
  )
}
