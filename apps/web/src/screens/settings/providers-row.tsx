import type { ProviderSetting } from "@xionimus/protocol"
import type { ApiError } from "@xionimus/sdk"
import { useState } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { useStore } from "../../lib/store.ts"
import type { ProviderSettings } from "../../stores/settings-providers-store.ts"
import { providerKindLabel } from "./providers-kinds.ts"
import { ProvidersTestResult } from "./providers-test-result.tsx"

/** One stored provider: kind, address, the key's last four characters, models; test and remove. */
export function ProvidersRow({
  setting,
  store,
  teamId,
  canManage,
}: {
  setting: ProviderSetting
  store: ProviderSettings
  teamId?: string
  canManage: boolean
}) {
  const t = useT()
  const test = useStore(store.state, (state) => state.tests[setting.providerId])
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const id = setting.providerId

  async function remove() {
    setBusy(true)
    const failure = await store.remove(id, teamId)
    setBusy(false)
    setConfirming(false)
    setError(failure)
  }

  async function adoptModels(models: string[]) {
    setBusy(true)
    const { ownerKind: _o, ownerId: _i, keyHint: _k, createdAt: _c, updatedAt: _u, ...input } = setting
    setError(await store.save({ ...input, models }, teamId))
    setBusy(false)
  }

  return (
    <li className="flex flex-col gap-3 px-5 py-4" data-testid="provider-row" data-provider={id}>
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <p className="font-medium text-fg">
            {id} <span className="font-normal text-muted">· {t(providerKindLabel(setting.type))}</span>
          </p>
          <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-[13px] text-muted">
            {setting.baseURL || setting.preset ? (
              <>
                <dt>{t("settings.providers.address")}</dt>
                <dd className="break-all font-mono">{setting.baseURL ?? setting.preset}</dd>
              </>
            ) : null}
            <dt>{t("settings.providers.key")}</dt>
            <dd data-testid="provider-key-hint" className="font-mono">
              {setting.keyHint ? `••••${setting.keyHint.replace(/^…/, "")}` : t("settings.providers.noKey")}
            </dd>
            <dt>{t("settings.providers.models")}</dt>
            <dd data-testid="provider-models">
              {setting.models?.length ? setting.models.join(", ") : t("settings.providers.modelsAll")}
            </dd>
          </dl>
        </div>
        <div className="flex gap-2">
          <Button
            size="sm"
            data-testid="provider-test"
            disabled={test?.status === "running"}
            onClick={() => void store.test(id)}
          >
            {test?.status === "running" ? t("settings.providers.testing") : t("settings.providers.test")}
          </Button>
          {canManage && !confirming ? (
            <Button
              size="sm"
              variant="danger"
              data-testid="provider-remove"
              onClick={() => setConfirming(true)}
            >
              {t("settings.providers.remove")}
            </Button>
          ) : null}
        </div>
      </div>
      {confirming ? (
        <div className="flex flex-wrap items-center gap-2">
          <p className="text-[13px]">{t("settings.providers.removeConfirm", { id })}</p>
          <Button
            size="sm"
            variant="primary"
            disabled={busy}
            data-testid="provider-remove-confirm"
            onClick={() => void remove()}
          >
            {t("settings.providers.remove")}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setConfirming(false)}>
            {t("settings.providers.cancel")}
          </Button>
        </div>
      ) : null}
      {test && test.status !== "running" ? (
        <ProvidersTestResult
          test={test}
          canUseModels={canManage && !setting.models?.length}
          busy={busy}
          onUseModels={(models) => void adoptModels(models)}
        />
      ) : null}
      {error ? <ErrorNotice error={error} compact testId="provider-row-error" /> : null}
    </li>
  )
}
