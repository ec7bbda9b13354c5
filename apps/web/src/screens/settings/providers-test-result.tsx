import { useLocale, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import type { MessageKey } from "../../i18n/en.ts"
import type { ProviderTest } from "../../stores/settings-providers-store.ts"
import { formatCount } from "./usage-format.ts"

const shownModels = 12

/** What a connection test found: the models offered, or why it failed in words with the reason code. */
export function ProvidersTestResult({
  test,
  canUseModels,
  busy,
  onUseModels,
}: {
  test: Exclude<ProviderTest, { status: "running" }>
  canUseModels: boolean
  busy: boolean
  onUseModels: (models: string[]) => void
}) {
  const t = useT()
  const locale = useLocale()
  if (test.status === "failed") return <ErrorNotice error={test.error} compact testId="provider-test-error" />
  const { result } = test
  const latency = formatCount(result.latencyMs, locale)
  if (!result.ok) {
    const reason = result.error?.reason ?? "transport"
    return (
      <div
        role="alert"
        data-testid="provider-test-failed"
        data-reason={reason}
        className="rounded-lg border border-danger/25 bg-danger-soft px-3 py-2 text-[13px]"
      >
        <p className="font-medium text-fg">{t(`settings.providers.reason.${reason}` as MessageKey)}</p>
        <p className="mt-1 break-words text-muted">{result.error?.message}</p>
        <p className="mt-1 text-xs text-muted">
          {t("error.code")} <code className="font-mono text-danger">{reason}</code> · {result.baseURL}
        </p>
      </div>
    )
  }
  const models = result.models
  return (
    <div
      role="status"
      data-testid="provider-test-ok"
      className="rounded-lg border border-line bg-sunken px-3 py-2 text-[13px]"
    >
      <p className="font-medium text-fg">
        {t("settings.providers.testOk", { count: models.length, ms: latency })}
      </p>
      {models.length ? (
        <p className="mt-1 break-words font-mono text-muted" data-testid="provider-test-models">
          {models.slice(0, shownModels).join(", ")}
          {models.length > shownModels ? ` … (+${models.length - shownModels})` : ""}
        </p>
      ) : null}
      {canUseModels && models.length ? (
        <Button
          size="sm"
          className="mt-2"
          disabled={busy}
          data-testid="provider-use-models"
          onClick={() => onUseModels(models)}
        >
          {t("settings.providers.useModels")}
        </Button>
      ) : null}
    </div>
  )
}
