import type { ModelInfo } from "@xionimus/protocol"
import type { ApiError } from "@xionimus/sdk"
import { useState } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { useStore } from "../../lib/store.ts"

/** The model new sessions start with, saved on the server; "server default" leaves it to the configuration. */
export function ProvidersDefaultModel({ models }: { models: ModelInfo[] }) {
  const t = useT()
  const { defaultModel } = useServices()
  const current = useStore(defaultModel.value)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [saved, setSaved] = useState(false)
  const missing = current !== null && !models.some((model) => model.name === current)

  async function choose(model: string | null): Promise<void> {
    setBusy(true)
    setSaved(false)
    const failure = await defaultModel.set(model)
    setBusy(false)
    setError(failure)
    setSaved(failure === null)
  }

  return (
    <section className="flex flex-col gap-2" data-testid="default-model">
      <h2 className="text-base font-semibold">{t("settings.providers.defaultModel")}</h2>
      <label htmlFor="default-model-select" className="text-[13px] text-muted">
        {t("settings.providers.defaultModelHint")}
      </label>
      <select
        id="default-model-select"
        data-testid="default-model-select"
        className="h-9 w-full max-w-md rounded-lg border border-line-strong bg-surface px-3"
        value={current ?? ""}
        disabled={busy}
        onChange={(event) => choose(event.target.value || null)}
      >
        <option value="">{t("settings.providers.serverDefault")}</option>
        {missing ? <option value={current}>{current}</option> : null}
        {models.map((model) => (
          <option key={model.name} value={model.name}>
            {model.name}
          </option>
        ))}
      </select>
      {saved ? (
        <p role="status" className="text-[13px] text-success" data-testid="default-model-saved">
          {t("settings.gaps.defaultModelSaved")}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} compact testId="default-model-error" /> : null}
      {missing ? (
        <p role="alert" className="text-[13px] text-danger" data-testid="default-model-missing">
          {t("settings.providers.defaultModelMissing", { model: current })}
        </p>
      ) : null}
      {models.length === 0 ? (
        <p className="text-[13px] text-muted" data-testid="default-model-none">
          {t("settings.providers.noModels")}
        </p>
      ) : null}
    </section>
  )
}
