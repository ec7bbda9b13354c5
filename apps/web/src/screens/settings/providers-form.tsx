import type { ProviderSettingInput } from "@xionimus/protocol"
import type { ApiError } from "@xionimus/sdk"
import { type FormEvent, useState } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Field } from "../../components/field.tsx"
import type { ProviderSettings, TeamProviders } from "../../stores/settings-providers-store.ts"
import { type ProviderKind, parseModelList, providerKinds } from "./providers-kinds.ts"

const idPattern = /^[a-z0-9][a-z0-9_-]*$/

/** Adds (or replaces) a provider for the user or a team they own; the key is write-only. */
export function ProvidersForm({ store, teams }: { store: ProviderSettings; teams: TeamProviders[] }) {
  const t = useT()
  const [kind, setKind] = useState<ProviderKind>("openai")
  const [owner, setOwner] = useState("")
  const [providerId, setProviderId] = useState("openai")
  const [idTouched, setIdTouched] = useState(false)
  const [baseURL, setBaseURL] = useState("")
  const [apiKey, setApiKey] = useState("")
  const [models, setModels] = useState("")
  const [problem, setProblem] = useState<string | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState<string | null>(null)
  const spec = providerKinds.find((entry) => entry.kind === kind) ?? providerKinds[0]!

  function chooseKind(next: ProviderKind) {
    setKind(next)
    if (!idTouched) setProviderId(providerKinds.find((entry) => entry.kind === next)?.id ?? next)
  }

  function check(): string | null {
    if (!idPattern.test(providerId)) return t("settings.providers.idInvalid")
    if (spec.needsUrl && !baseURL.trim()) return t("settings.providers.urlMissing")
    if (baseURL.trim() && !URL.canParse(baseURL.trim())) return t("settings.providers.urlInvalid")
    if (spec.needsKey && !apiKey) return t("settings.providers.keyMissing")
    return null
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    setSaved(null)
    setError(null)
    const found = check()
    setProblem(found)
    if (found) return
    const list = parseModelList(models)
    const input: ProviderSettingInput = {
      providerId,
      type: kind,
      ...(baseURL.trim() ? { baseURL: baseURL.trim() } : {}),
      ...(apiKey ? { apiKey } : {}),
      ...(list.length ? { models: list } : {}),
    }
    setBusy(true)
    const failure = await store.save(input, owner || undefined)
    setBusy(false)
    setError(failure)
    if (!failure) {
      // The key leaves the page once it is stored: it is never shown again. The form starts over.
      setApiKey("")
      setBaseURL("")
      setModels("")
      setIdTouched(false)
      setProviderId(spec.id)
      setSaved(providerId)
      void store.test(providerId)
    }
  }

  return (
    <section className="flex flex-col gap-3">
      <h2 className="text-base font-semibold">{t("settings.providers.add")}</h2>
      <form
        noValidate
        onSubmit={(event) => void submit(event)}
        data-testid="provider-form"
        className="grid grid-cols-[minmax(0,1fr)] gap-4 rounded-xl border border-line bg-surface p-5 shadow-xs sm:grid-cols-2"
      >
        <div className="flex flex-col gap-1.5">
          <label htmlFor="provider-kind" className="text-[13px] font-medium">
            {t("settings.providers.kind")}
          </label>
          <select
            id="provider-kind"
            data-testid="provider-kind"
            className="h-9 w-full min-w-0 rounded-lg border border-line-strong bg-surface px-3"
            value={kind}
            onChange={(event) => chooseKind(event.target.value as ProviderKind)}
          >
            {providerKinds.map((entry) => (
              <option key={entry.kind} value={entry.kind}>
                {t(entry.label)}
              </option>
            ))}
          </select>
        </div>
        {teams.length ? (
          <div className="flex flex-col gap-1.5">
            <label htmlFor="provider-owner" className="text-[13px] font-medium">
              {t("settings.providers.owner")}
            </label>
            <select
              id="provider-owner"
              data-testid="provider-owner"
              className="h-9 w-full min-w-0 rounded-lg border border-line-strong bg-surface px-3"
              value={owner}
              onChange={(event) => setOwner(event.target.value)}
            >
              <option value="">{t("settings.providers.ownerMe")}</option>
              {teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {t("settings.providers.team", { name: team.name })}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <Field
          id="provider-id"
          data-testid="provider-id"
          label={t("settings.providers.id")}
          hint={t("settings.providers.idHint")}
          value={providerId}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => {
            setIdTouched(true)
            setProviderId(event.target.value.toLowerCase())
          }}
        />
        <Field
          id="provider-url"
          data-testid="provider-url"
          type="url"
          label={t("settings.providers.address")}
          {...(spec.needsUrl ? {} : { hint: t("settings.providers.optional") })}
          placeholder={spec.placeholderUrl}
          value={baseURL}
          spellCheck={false}
          onChange={(event) => setBaseURL(event.target.value)}
        />
        <Field
          id="provider-key"
          data-testid="provider-key"
          type="password"
          autoComplete="new-password"
          label={t("settings.providers.key")}
          {...(spec.needsKey ? {} : { hint: t("settings.providers.optional") })}
          value={apiKey}
          onChange={(event) => setApiKey(event.target.value)}
        />
        <Field
          id="provider-models"
          data-testid="provider-models-input"
          label={t("settings.providers.models")}
          hint={t("settings.providers.modelsHint")}
          value={models}
          spellCheck={false}
          onChange={(event) => setModels(event.target.value)}
        />
        <p className="text-xs text-subtle sm:col-span-2">{t("settings.providers.keyNote")}</p>
        {problem ? (
          <p
            role="alert"
            className="text-[13px] text-danger sm:col-span-2"
            data-testid="provider-form-problem"
          >
            {problem}
          </p>
        ) : null}
        {error ? (
          <div className="sm:col-span-2">
            <ErrorNotice error={error} compact testId="provider-form-error" />
          </div>
        ) : null}
        {saved ? (
          <p role="status" className="text-[13px] text-muted sm:col-span-2" data-testid="provider-saved">
            {t("settings.providers.saved", { id: saved })}
          </p>
        ) : null}
        <div className="sm:col-span-2">
          <Button type="submit" variant="primary" disabled={busy} data-testid="provider-save">
            {t("settings.providers.save")}
          </Button>
        </div>
      </form>
    </section>
  )
}
