import type { QuotaName, QuotaOverrideBody, QuotaUsage } from "@xionimus/protocol"
import type { ApiError } from "@xionimus/sdk"
import { useId, useState } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import type { MessageKey } from "../../i18n/en.ts"

const mebibyte = 1024 * 1024

/** What a limit is typed in: dollars, seconds, and storage in MiB (sent in bytes). */
const unitKey: Record<QuotaUsage["unit"], MessageKey> = {
  usd: "settings.usage.limitUsd",
  "cpu-seconds": "settings.usage.limitSeconds",
  bytes: "settings.usage.limitMib",
}

function shown(quota: QuotaUsage): string {
  if (quota.limit === null) return ""
  return String(quota.unit === "bytes" ? Math.round((quota.limit / mebibyte) * 100) / 100 : quota.limit)
}

/**
 * An administrator's limits for one team: each field holds the limit in force, empty for none. Save sends
 * all of them (an empty field lifts that limit); "Use the configured limits" removes the override.
 */
export function QuotaLimitsForm({
  quotas,
  onSave,
  onDone,
}: {
  quotas: QuotaUsage[]
  onSave(override: QuotaOverrideBody): Promise<ApiError | null>
  onDone(): void
}) {
  const t = useT()
  const id = useId()
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(quotas.map((quota) => [quota.name, shown(quota)])),
  )
  const [error, setError] = useState<ApiError | null>(null)
  const [invalid, setInvalid] = useState<QuotaName | null>(null)
  const [busy, setBusy] = useState(false)

  async function save(override: QuotaOverrideBody): Promise<void> {
    setBusy(true)
    const failed = await onSave(override)
    setBusy(false)
    setError(failed)
    if (!failed) onDone()
  }

  function submit(): void {
    const override: Record<string, number | null> = {}
    for (const quota of quotas) {
      const text = (values[quota.name] ?? "").trim()
      if (text === "") {
        override[quota.name] = null
        continue
      }
      const number = Number(text.replace(",", "."))
      if (!Number.isFinite(number) || number < 0) {
        setInvalid(quota.name)
        return
      }
      override[quota.name] = quota.unit === "bytes" ? Math.round(number * mebibyte) : number
    }
    setInvalid(null)
    void save(override as QuotaOverrideBody)
  }

  return (
    <form
      className="flex flex-col gap-3 border-t border-line pt-3"
      data-testid="quota-form"
      onSubmit={(event) => {
        event.preventDefault()
        submit()
      }}
    >
      <p className="text-xs text-muted">{t("settings.usage.limitsHelp")}</p>
      {quotas.map((quota) => (
        <div key={quota.name} className="flex flex-col gap-1">
          <label htmlFor={`${id}-${quota.name}`} className="text-[13px] font-medium">
            {t(`settings.usage.quota.${quota.name}` as MessageKey)} ({t(unitKey[quota.unit])})
          </label>
          <input
            id={`${id}-${quota.name}`}
            inputMode="decimal"
            data-testid="quota-limit"
            data-quota={quota.name}
            aria-invalid={invalid === quota.name}
            placeholder={t("settings.usage.noLimit")}
            value={values[quota.name] ?? ""}
            onChange={(event) => setValues({ ...values, [quota.name]: event.target.value })}
            className="h-9 rounded-lg border border-line-strong bg-surface px-3 tabular-nums"
          />
          {invalid === quota.name ? (
            <p className="text-xs text-danger" data-testid="quota-limit-invalid">
              {t("settings.usage.limitInvalid")}
            </p>
          ) : null}
        </div>
      ))}
      {error ? <ErrorNotice error={error} compact testId="quota-save-error" /> : null}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" size="sm" variant="primary" disabled={busy} data-testid="quota-save">
          {t("settings.usage.saveLimits")}
        </Button>
        <Button size="sm" disabled={busy} onClick={() => void save({})} data-testid="quota-reset">
          {t("settings.usage.configuredLimits")}
        </Button>
        <Button size="sm" variant="ghost" disabled={busy} onClick={onDone}>
          {t("settings.usage.cancelLimits")}
        </Button>
      </div>
    </form>
  )
}
