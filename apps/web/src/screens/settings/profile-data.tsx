import type { ApiError } from "@xionimus/sdk"
import { type FormEvent, useState } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { Button, LinkButton } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Field } from "../../components/field.tsx"
import type { Profile } from "../../stores/settings-profile-store.ts"
import { ProfilePanel } from "./profile-panel.tsx"

/** Data rights: download everything stored about me; delete my account after typing my address. */
export function ProfileData({ profile, email }: { profile: Profile; email: string }) {
  const t = useT()
  const { account } = useServices()
  const [typed, setTyped] = useState("")
  const [password, setPassword] = useState("")
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const confirmed = typed.trim().toLowerCase() === email.toLowerCase()

  async function remove(event: FormEvent): Promise<void> {
    event.preventDefault()
    if (!confirmed) return
    setBusy(true)
    const failure = await profile.deleteAccount(password)
    setError(failure)
    setBusy(false)
    // Signed out by the server: the reload shows the sign-in form.
    if (!failure) window.location.reload()
  }

  return (
    <ProfilePanel title={t("settings.data.title")} description={t("settings.data.body")}>
      <div>
        <LinkButton href={account.exportUrl()} download="xionimus-account.json" data-testid="account-export">
          {t("settings.data.export")}
        </LinkButton>
      </div>
      <form
        className="flex max-w-md flex-col gap-4 border-t border-line pt-4"
        onSubmit={remove}
        data-testid="account-delete-form"
      >
        <h3 className="text-sm font-semibold text-danger">{t("settings.data.deleteTitle")}</h3>
        <p className="text-sm text-muted">{t("settings.data.deleteBody")}</p>
        <Field
          id="account-delete-confirm"
          label={t("settings.data.deleteType", { email })}
          autoComplete="off"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          data-testid="account-delete-confirm"
        />
        <Field
          id="account-delete-password"
          label={t("settings.data.deletePassword")}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          data-testid="account-delete-password"
        />
        {error ? <ErrorNotice error={error} compact testId="account-delete-error" /> : null}
        <div>
          <Button
            type="submit"
            variant="danger"
            className="border border-danger/40"
            disabled={busy || !confirmed || !password}
            data-testid="account-delete"
          >
            {t("settings.data.delete")}
          </Button>
        </div>
      </form>
    </ProfilePanel>
  )
}
