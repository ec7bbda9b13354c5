import type { RunBudget } from "@xionimus/protocol"
import type { StartRunInput } from "@xionimus/sdk"
import { type FormEvent, useState } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Field } from "../../components/field.tsx"
import { PlayIcon } from "../../components/icons.tsx"
import { useStore } from "../../lib/store.ts"
import type { RunList } from "../../stores/orchestra-runs.ts"
import { parseBudget } from "../../stores/orchestra-view.ts"

/** A new run: its goal, its roles (the four-role preset or a preset as JSON) and an optional budget. */
export function NewRunForm({ list, onStarted }: { list: RunList; onStarted: (runId: string) => void }) {
  const t = useT()
  const { starting, startError } = useStore(list.state)
  const [goal, setGoal] = useState("")
  const [preset, setPreset] = useState<"default" | "custom">("default")
  const [presetJson, setPresetJson] = useState("")
  const [budget, setBudget] = useState({ costUsd: "", tokens: "", modelCalls: "" })
  const [problem, setProblem] = useState<string | null>(null)

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault()
    const parsedBudget: RunBudget | null = parseBudget(budget)
    if (!parsedBudget) return setProblem(t("runs.budgetInvalid"))
    const input: StartRunInput = { goal: goal.trim() }
    if (Object.keys(parsedBudget).length > 0) input.budget = parsedBudget
    if (preset === "custom") {
      try {
        input.preset = JSON.parse(presetJson)
      } catch {
        return setProblem(t("runs.presetInvalid"))
      }
    }
    setProblem(null)
    const runId = await list.start(input)
    if (runId) {
      setGoal("")
      onStarted(runId)
    }
  }

  const budgetField = (key: keyof typeof budget, label: string, inputMode: "decimal" | "numeric") => (
    <Field
      id={`run-budget-${key}`}
      label={label}
      inputMode={inputMode}
      value={budget[key]}
      onChange={(event) => setBudget({ ...budget, [key]: event.target.value })}
      data-testid={`run-budget-${key}`}
    />
  )

  return (
    <form
      onSubmit={(event) => void submit(event)}
      className="flex flex-col gap-4 rounded-xl border border-line bg-surface p-4 shadow-xs sm:p-5"
      aria-labelledby="new-run-title"
      data-testid="new-run-form"
    >
      <h2 id="new-run-title" className="text-base font-semibold">
        {t("runs.new")}
      </h2>
      <div className="flex flex-col gap-1.5">
        <label htmlFor="run-goal" className="text-[13px] font-medium">
          {t("runs.goal")}
          <span className="ml-1.5 font-normal text-subtle">({t("runs.goalHint")})</span>
        </label>
        <textarea
          id="run-goal"
          required
          rows={3}
          maxLength={20_000}
          value={goal}
          placeholder={t("runs.goalPlaceholder")}
          onChange={(event) => setGoal(event.target.value)}
          className="rounded-lg border border-line-strong bg-surface px-3 py-2 placeholder:text-subtle"
          data-testid="run-goal"
        />
      </div>
      <div className="flex flex-col gap-1.5">
        <label htmlFor="run-preset" className="text-[13px] font-medium">
          {t("runs.preset")}
        </label>
        <select
          id="run-preset"
          value={preset}
          onChange={(event) => setPreset(event.target.value as "default" | "custom")}
          className="h-9 rounded-lg border border-line-strong bg-surface px-2"
          data-testid="run-preset"
        >
          <option value="default">{t("runs.presetDefault")}</option>
          <option value="custom">{t("runs.presetCustom")}</option>
        </select>
      </div>
      {preset === "custom" ? (
        <div className="flex flex-col gap-1.5">
          <label htmlFor="run-preset-json" className="text-[13px] font-medium">
            {t("runs.presetJson")}
            <span className="ml-1.5 font-normal text-subtle">({t("runs.presetJsonHint")})</span>
          </label>
          <textarea
            id="run-preset-json"
            rows={6}
            value={presetJson}
            onChange={(event) => setPresetJson(event.target.value)}
            className="rounded-lg border border-line-strong bg-surface px-3 py-2 font-mono text-xs"
            spellCheck={false}
            data-testid="run-preset-json"
          />
        </div>
      ) : null}
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1.5 text-[13px] font-medium">{t("runs.budget")}</legend>
        <div className="grid gap-3 sm:grid-cols-3">
          {budgetField("costUsd", t("runs.budgetCost"), "decimal")}
          {budgetField("tokens", t("runs.budgetTokens"), "numeric")}
          {budgetField("modelCalls", t("runs.budgetCalls"), "numeric")}
        </div>
      </fieldset>
      {problem ? (
        <p role="alert" className="text-[13px] text-danger" data-testid="new-run-problem">
          {problem}
        </p>
      ) : null}
      {startError ? <ErrorNotice error={startError} compact testId="new-run-error" /> : null}
      <div>
        <Button type="submit" variant="primary" disabled={starting || !goal.trim()} data-testid="run-start">
          <PlayIcon className="size-3.5" />
          {starting ? t("runs.starting") : t("runs.start")}
        </Button>
      </div>
    </form>
  )
}
