import type { RunGate, RunState } from "@xionimus/protocol"
import type { GateDecisionInput } from "@xionimus/sdk"
import { type FormEvent, useState } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { CheckIcon, CloseIcon, PencilIcon } from "../../components/icons.tsx"
import { reasonText } from "../../stores/orchestra-reason.ts"
import { planDraft } from "../../stores/orchestra-view.ts"
import { PlanEditor } from "./plan-editor.tsx"

type Mode = "choose" | "reject" | "edit"

/** Editable gates: a plan (its packages), a dangerous command (the command), a budget (its limits). */
const editable = new Set(["plan", "dangerous-tool", "budget"])

/** A gate waiting for a person: why, what it holds, and approve / reject with comment / edit payload. */
export function GateCard({
  gate,
  state,
  busy,
  onDecide,
}: {
  gate: RunGate
  state: RunState
  busy: boolean
  onDecide: (input: GateDecisionInput) => Promise<boolean>
}) {
  const t = useT()
  const [mode, setMode] = useState<Mode>("choose")
  const [comment, setComment] = useState("")
  const [problem, setProblem] = useState<string | null>(null)
  const command = (gate.payload as { command?: unknown } | null)?.command
  const summary = (gate.payload as { summary?: unknown } | null)?.summary
  const planned = gate.kind === "plan" && mode !== "edit" ? planDraft(state, gate) : []
  const [payloadText, setPayloadText] = useState(() =>
    gate.kind === "dangerous-tool" && typeof command === "string"
      ? command
      : JSON.stringify(gate.payload ?? {}, null, 2),
  )
  const titleId = `gate-${gate.id}-title`

  async function reject(event: FormEvent): Promise<void> {
    event.preventDefault()
    if (!comment.trim()) return setProblem(t("run.gate.commentNeeded"))
    setProblem(null)
    if (await onDecide({ decision: "reject", comment: comment.trim() })) setMode("choose")
  }

  async function editOther(event: FormEvent): Promise<void> {
    event.preventDefault()
    let payload: unknown
    if (gate.kind === "dangerous-tool") payload = { command: payloadText }
    else {
      try {
        payload = JSON.parse(payloadText)
      } catch {
        return setProblem(t("run.gate.payloadInvalid"))
      }
    }
    setProblem(null)
    await onDecide({ decision: "edit", payload })
  }

  return (
    <article
      aria-labelledby={titleId}
      className="flex flex-col gap-3 rounded-lg border border-warning/40 bg-warning-soft/40 p-3"
      data-testid="gate"
      data-gate-kind={gate.kind}
      data-gate-id={gate.id}
    >
      <header className="flex flex-wrap items-baseline gap-2">
        <h3 id={titleId} className="font-semibold">
          {t(`run.gate.${gate.kind}`)}
        </h3>
        {gate.packageId ? (
          <span className="font-mono text-xs text-muted">
            {t("run.gate.package", { id: gate.packageId })}
          </span>
        ) : null}
      </header>
      <p className="text-[13px] break-words" data-testid="gate-reason">
        {reasonText(t, { text: gate.reason, code: gate.code, params: gate.params })}
      </p>
      {typeof summary === "string" && summary ? (
        <p className="text-[13px] break-words whitespace-pre-wrap" data-testid="gate-summary">
          {summary}
        </p>
      ) : null}
      {planned.length > 0 ? (
        <ul className="flex flex-col gap-1 text-[13px]" data-testid="gate-plan">
          {planned.map((item) => (
            <li key={item.id}>
              <details>
                <summary className="cursor-pointer font-medium">{item.title}</summary>
                <p className="mt-1 whitespace-pre-wrap break-words text-muted">{item.instructions}</p>
              </details>
            </li>
          ))}
        </ul>
      ) : null}
      {gate.kind === "dangerous-tool" && typeof command === "string" ? (
        <p className="text-[13px]">
          {t("run.gate.command")}: <code className="rounded bg-sunken px-1 font-mono">{command}</code>
        </p>
      ) : null}
      {mode === "choose" ? (
        <div className="flex flex-wrap gap-2">
          <Button
            size="sm"
            variant="primary"
            disabled={busy}
            onClick={() => void onDecide({ decision: "approve" })}
            data-testid="gate-approve"
          >
            <CheckIcon className="size-3.5" />
            {t("run.gate.approve")}
          </Button>
          <Button size="sm" disabled={busy} onClick={() => setMode("reject")} data-testid="gate-reject">
            <CloseIcon className="size-3.5" />
            {t("run.gate.reject")}
          </Button>
          {editable.has(gate.kind) ? (
            <Button size="sm" disabled={busy} onClick={() => setMode("edit")} data-testid="gate-edit">
              <PencilIcon className="size-3.5" />
              {t("run.gate.edit")}
            </Button>
          ) : null}
        </div>
      ) : null}
      {mode === "reject" ? (
        <form onSubmit={(event) => void reject(event)} className="flex flex-col gap-2">
          <label htmlFor={`gate-${gate.id}-comment`} className="text-[13px] font-medium">
            {t("run.gate.comment")}
            <span className="ml-1.5 font-normal text-subtle">({t("run.gate.commentHint")})</span>
          </label>
          <textarea
            id={`gate-${gate.id}-comment`}
            rows={3}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
            className="rounded-lg border border-line-strong bg-surface px-3 py-2"
            data-testid="gate-comment"
          />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" size="sm" variant="primary" disabled={busy} data-testid="gate-reject-send">
              {t("run.gate.rejectSend")}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setMode("choose")}>
              {t("run.gate.cancelEdit")}
            </Button>
          </div>
        </form>
      ) : null}
      {mode === "edit" && gate.kind === "plan" ? (
        <PlanEditor
          draft={planDraft(state, gate)}
          busy={busy}
          onCancel={() => setMode("choose")}
          onSubmit={(payload) => onDecide({ decision: "edit", payload })}
        />
      ) : null}
      {mode === "edit" && gate.kind !== "plan" ? (
        <form onSubmit={(event) => void editOther(event)} className="flex flex-col gap-2">
          <label htmlFor={`gate-${gate.id}-payload`} className="text-[13px] font-medium">
            {gate.kind === "dangerous-tool" ? t("run.gate.editCommand") : t("run.gate.editPayload")}
          </label>
          <textarea
            id={`gate-${gate.id}-payload`}
            rows={gate.kind === "dangerous-tool" ? 2 : 5}
            value={payloadText}
            onChange={(event) => setPayloadText(event.target.value)}
            className="rounded-lg border border-line-strong bg-surface px-3 py-2 font-mono text-xs"
            spellCheck={false}
            data-testid="gate-payload"
          />
          <div className="flex flex-wrap gap-2">
            <Button type="submit" size="sm" variant="primary" disabled={busy} data-testid="gate-edit-send">
              {t("run.gate.editSend")}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setMode("choose")}>
              {t("run.gate.cancelEdit")}
            </Button>
          </div>
        </form>
      ) : null}
      {problem ? (
        <p role="alert" className="text-[13px] text-danger" data-testid="gate-problem">
          {problem}
        </p>
      ) : null}
    </article>
  )
}
