import { type FormEvent, useState } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { type PlanDraftItem, planEditPayload } from "../../stores/orchestra-view.ts"

/** The plan at a plan gate, editable: each package's title and instructions (what the others receive). */
export function PlanEditor({
  draft,
  busy,
  onSubmit,
  onCancel,
}: {
  draft: PlanDraftItem[]
  busy: boolean
  onSubmit: (payload: NonNullable<ReturnType<typeof planEditPayload>>) => Promise<boolean>
  onCancel: () => void
}) {
  const t = useT()
  const [items, setItems] = useState(draft)
  const [problem, setProblem] = useState<string | null>(null)
  const change = (id: string, patch: Partial<PlanDraftItem>) =>
    setItems((previous) => previous.map((item) => (item.id === id ? { ...item, ...patch } : item)))

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault()
    const payload = planEditPayload(draft, items)
    if (!payload) return setProblem(t("run.gate.editNothing"))
    setProblem(null)
    await onSubmit(payload)
  }

  return (
    <form
      onSubmit={(event) => void submit(event)}
      className="flex flex-col gap-3"
      aria-label={t("run.gate.editPlan")}
      data-testid="plan-editor"
    >
      {items.map((item) => (
        <fieldset
          key={item.id}
          className="flex flex-col gap-1.5 rounded-lg border border-line bg-surface p-3"
        >
          <legend className="px-1 font-mono text-xs text-muted">{item.id}</legend>
          <label htmlFor={`plan-${item.id}-title`} className="sr-only">
            {t("run.gate.packageTitle", { id: item.id })}
          </label>
          <input
            id={`plan-${item.id}-title`}
            value={item.title}
            maxLength={200}
            onChange={(event) => change(item.id, { title: event.target.value })}
            className="h-9 rounded-lg border border-line-strong bg-surface px-3 font-medium"
            data-testid="plan-title"
          />
          <label htmlFor={`plan-${item.id}-instructions`} className="sr-only">
            {t("run.gate.packageInstructions", { id: item.id })}
          </label>
          <textarea
            id={`plan-${item.id}-instructions`}
            rows={4}
            value={item.instructions}
            onChange={(event) => change(item.id, { instructions: event.target.value })}
            className="rounded-lg border border-line-strong bg-surface px-3 py-2 text-[13px]"
            data-testid="plan-instructions"
          />
        </fieldset>
      ))}
      {problem ? (
        <p role="alert" className="text-[13px] text-danger" data-testid="plan-problem">
          {problem}
        </p>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" size="sm" variant="primary" disabled={busy} data-testid="plan-save">
          {t("run.gate.editSend")}
        </Button>
        <Button size="sm" variant="ghost" onClick={onCancel}>
          {t("run.gate.cancelEdit")}
        </Button>
      </div>
    </form>
  )
}
