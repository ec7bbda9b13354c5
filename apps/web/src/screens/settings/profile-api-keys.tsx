import type { ApiKey, ApiKeyScope } from "@xionimus/protocol"
import type { ApiError } from "@xionimus/sdk"
import { type FormEvent, useState } from "react"
import { useLocale, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Field } from "../../components/field.tsx"
import { formatDate, formatRelative } from "../../lib/format.ts"
import { useStore } from "../../lib/store.ts"
import type { Profile } from "../../stores/settings-profile-store.ts"
import { ProfilePanel } from "./profile-panel.tsx"
import { ProfileSecret } from "./profile-secret.tsx"

const scopes: readonly ApiKeyScope[] = ["read", "write", "admin"]
const expiries = [0, 30, 90, 365] as const

/** API keys for programs: create (secret shown once), rotate, revoke, with their last use. */
export function ProfileApiKeys({ profile }: { profile: Profile }) {
  const t = useT()
  const apiKeys = useStore(profile.state, (state) => state.apiKeys)
  const revealed = useStore(profile.state, (state) => state.revealed)
  const myScope = useStore(profile.state, (state) => state.principal?.scope ?? "read")
  const allowed = scopes.slice(0, scopes.indexOf(myScope) + 1)
  const [name, setName] = useState("")
  const [scope, setScope] = useState<ApiKeyScope>("write")
  const [expiry, setExpiry] = useState<number>(90)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  async function run(action: () => Promise<ApiError | null>): Promise<boolean> {
    setBusy(true)
    const failure = await action()
    setBusy(false)
    setError(failure)
    return failure === null
  }

  async function create(event: FormEvent): Promise<void> {
    event.preventDefault()
    const input = {
      name: name.trim() || t("settings.keys.defaultName"),
      scope: allowed.includes(scope) ? scope : allowed[allowed.length - 1]!,
      ...(expiry ? { expiresInDays: expiry } : {}),
    }
    if (await run(() => profile.createKey(input))) setName("")
  }

  return (
    <ProfilePanel title={t("settings.keys.title")} description={t("settings.keys.body")} testId="api-keys">
      <form className="flex flex-wrap items-end gap-3" onSubmit={create} data-testid="api-key-form">
        <div className="min-w-48 flex-1">
          <Field
            id="api-key-name"
            label={t("settings.keys.name")}
            value={name}
            maxLength={100}
            placeholder={t("settings.keys.defaultName")}
            onChange={(event) => setName(event.target.value)}
            data-testid="api-key-name"
          />
        </div>
        <label className="flex flex-col gap-1.5 text-[13px] font-medium text-fg">
          {t("settings.keys.scope")}
          <select
            className="h-9 rounded-lg border border-line-strong bg-surface px-2"
            value={scope}
            onChange={(event) => setScope(event.target.value as ApiKeyScope)}
            data-testid="api-key-scope"
          >
            {allowed.map((item) => (
              <option key={item} value={item}>
                {t(`settings.keys.scope.${item}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1.5 text-[13px] font-medium text-fg">
          {t("settings.keys.expiry")}
          <select
            className="h-9 rounded-lg border border-line-strong bg-surface px-2"
            value={expiry}
            onChange={(event) => setExpiry(Number(event.target.value))}
            data-testid="api-key-expiry"
          >
            {expiries.map((days) => (
              <option key={days} value={days}>
                {days ? t("settings.keys.days", { count: days }) : t("settings.keys.never")}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" variant="primary" disabled={busy} data-testid="api-key-create">
          {t("settings.keys.create")}
        </Button>
      </form>
      {error ? <ErrorNotice error={error} compact testId="api-key-error" /> : null}
      {revealed ? (
        <div
          className="flex flex-col gap-2 rounded-lg border border-accent/30 p-3"
          data-testid="api-key-revealed"
        >
          <p className="text-sm text-fg">{t("settings.keys.once", { name: revealed.name })}</p>
          <ProfileSecret label={t("settings.keys.secret")} value={revealed.secret} testId="api-key-secret" />
          <div>
            <Button size="sm" onClick={profile.dismissSecret} data-testid="api-key-secret-done">
              {t("settings.keys.copiedIt")}
            </Button>
          </div>
        </div>
      ) : null}
      {apiKeys.length === 0 ? (
        <p className="text-sm text-muted" data-testid="api-keys-empty">
          {t("settings.keys.empty")}
        </p>
      ) : (
        <ul
          className="divide-y divide-line rounded-lg border border-line"
          aria-label={t("settings.keys.title")}
        >
          {apiKeys.map((key) => (
            <KeyRow key={key.id} apiKey={key} busy={busy} profile={profile} run={run} />
          ))}
        </ul>
      )}
    </ProfilePanel>
  )
}

function KeyRow({
  apiKey,
  busy,
  profile,
  run,
}: {
  apiKey: ApiKey
  busy: boolean
  profile: Profile
  run: (action: () => Promise<ApiError | null>) => Promise<boolean>
}) {
  const t = useT()
  const locale = useLocale()
  const [confirming, setConfirming] = useState(false)
  const revoked = apiKey.revokedAt !== null
  const expired = apiKey.expiresAt !== null && Date.parse(apiKey.expiresAt) <= Date.now()
  return (
    <li
      className="flex flex-wrap items-center gap-3 px-4 py-3"
      data-testid="api-key-row"
      data-key-id={apiKey.id}
      data-state={revoked ? "revoked" : expired ? "expired" : "active"}
    >
      <div className="min-w-48 flex-1">
        <p className="font-medium text-fg">
          {apiKey.name} <code className="ml-1 font-mono text-xs text-muted">{apiKey.prefix}…</code>{" "}
          <span className="ml-1 rounded bg-sunken px-1.5 py-0.5 text-xs text-muted">
            {t(`settings.keys.scope.${apiKey.scope}`)}
          </span>
        </p>
        <p className="text-xs text-muted">
          {t("settings.keys.created", { date: formatDate(apiKey.createdAt, locale) })}
          {" · "}
          {apiKey.lastUsedAt
            ? t("settings.keys.lastUsed", { time: formatRelative(apiKey.lastUsedAt, locale) })
            : t("settings.keys.neverUsed")}
          {" · "}
          {revoked
            ? t("settings.keys.revoked")
            : apiKey.expiresAt
              ? t(expired ? "settings.keys.expired" : "settings.keys.expires", {
                  date: formatDate(apiKey.expiresAt, locale),
                })
              : t("settings.keys.noExpiry")}
        </p>
      </div>
      {revoked || expired ? null : confirming ? (
        <span className="flex gap-2">
          <Button
            size="sm"
            variant="danger"
            disabled={busy}
            onClick={() => run(() => profile.revokeKey(apiKey.id))}
            data-testid="api-key-revoke-confirm"
          >
            {t("settings.keys.revokeConfirm")}
          </Button>
          <Button size="sm" onClick={() => setConfirming(false)}>
            {t("settings.cancel")}
          </Button>
        </span>
      ) : (
        <span className="flex gap-2">
          <Button
            size="sm"
            disabled={busy}
            onClick={() => run(() => profile.rotateKey(apiKey.id))}
            title={t("settings.keys.rotateHint")}
            data-testid="api-key-rotate"
          >
            {t("settings.keys.rotate")}
          </Button>
          <Button size="sm" variant="danger" onClick={() => setConfirming(true)} data-testid="api-key-revoke">
            {t("settings.keys.revoke")}
          </Button>
        </span>
      )}
    </li>
  )
}
