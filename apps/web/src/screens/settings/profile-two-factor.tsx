import type { ApiError } from "@xionimus/sdk"
import { type FormEvent, useState } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Field } from "../../components/field.tsx"
import { useStore } from "../../lib/store.ts"
import type { Profile } from "../../stores/settings-profile-store.ts"
import { ProfilePanel } from "./profile-panel.tsx"
import { ProfileQrCode } from "./profile-qr-code.tsx"
import { ProfileSecret } from "./profile-secret.tsx"

/**
 * Two-factor sign-in (TOTP): start enrolment (the otpauth link and the secret to type in), confirm with a
 * current code, see the recovery codes once; turn it off with the password.
 */
export function ProfileTwoFactor({ profile }: { profile: Profile }) {
  const t = useT()
  const twoFactor = useStore(profile.state, (state) => state.twoFactor)
  const enrolment = useStore(profile.state, (state) => state.enrolment)
  const recoveryCodes = useStore(profile.state, (state) => state.recoveryCodes)
  const [code, setCode] = useState("")
  const [password, setPassword] = useState("")
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [disabling, setDisabling] = useState(false)

  async function run(action: () => Promise<ApiError | null>): Promise<boolean> {
    setBusy(true)
    const failure = await action()
    setBusy(false)
    setError(failure)
    return failure === null
  }

  async function confirm(event: FormEvent): Promise<void> {
    event.preventDefault()
    if (await run(() => profile.confirmTwoFactor(code))) setCode("")
  }

  async function disable(event: FormEvent): Promise<void> {
    event.preventDefault()
    if (await run(() => profile.disableTwoFactor(password))) {
      setPassword("")
      setDisabling(false)
    }
  }

  const status =
    twoFactor === "on"
      ? t("settings.twoFactor.on")
      : twoFactor === "off"
        ? t("settings.twoFactor.off")
        : t("settings.twoFactor.unknown")

  return (
    <ProfilePanel title={t("settings.twoFactor.title")} description={t("settings.twoFactor.body")}>
      <p className="text-sm text-fg" data-testid="two-factor-status" data-state={twoFactor}>
        {status}
      </p>
      {recoveryCodes ? (
        <div className="flex flex-col gap-2" data-testid="recovery-codes">
          <p className="text-sm text-fg">{t("settings.twoFactor.recoveryBody")}</p>
          <ProfileSecret
            label={t("settings.twoFactor.recoveryCodes")}
            value={recoveryCodes.join("  ")}
            testId="recovery-codes-text"
          />
          <div>
            <Button size="sm" onClick={profile.dismissRecoveryCodes} data-testid="recovery-codes-done">
              {t("settings.twoFactor.recoveryDone")}
            </Button>
          </div>
        </div>
      ) : null}
      {enrolment ? (
        <form className="flex max-w-xl flex-col gap-4" onSubmit={confirm} data-testid="two-factor-enrol">
          <ol className="list-decimal space-y-1 pl-5 text-sm text-fg">
            <li>{t("settings.twoFactor.step1")}</li>
            <li>{t("settings.twoFactor.step2")}</li>
          </ol>
          <ProfileQrCode text={enrolment.uri} label={t("settings.twoFactor.qr")} testId="two-factor-qr" />
          <a href={enrolment.uri} className="text-sm text-accent underline" data-testid="two-factor-uri">
            {t("settings.twoFactor.openApp")}
          </a>
          <ProfileSecret
            label={t("settings.twoFactor.secret")}
            value={enrolment.secret}
            testId="two-factor-secret"
          />
          <Field
            id="two-factor-code"
            label={t("settings.twoFactor.code")}
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            value={code}
            onChange={(event) => setCode(event.target.value)}
            data-testid="two-factor-code"
          />
          {error ? <ErrorNotice error={error} compact testId="two-factor-error" /> : null}
          <div className="flex gap-2">
            <Button type="submit" variant="primary" disabled={busy || !code} data-testid="two-factor-confirm">
              {t("settings.twoFactor.confirm")}
            </Button>
            <Button onClick={profile.cancelEnrolment}>{t("settings.cancel")}</Button>
          </div>
        </form>
      ) : disabling ? (
        <form
          className="flex max-w-md flex-col gap-4"
          onSubmit={disable}
          data-testid="two-factor-disable-form"
        >
          <Field
            id="two-factor-password"
            label={t("settings.twoFactor.password")}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            data-testid="two-factor-password"
          />
          {error ? <ErrorNotice error={error} compact testId="two-factor-error" /> : null}
          <div className="flex gap-2">
            <Button
              type="submit"
              variant="primary"
              disabled={busy || !password}
              data-testid="two-factor-disable-submit"
            >
              {t("settings.twoFactor.disable")}
            </Button>
            <Button onClick={() => setDisabling(false)}>{t("settings.cancel")}</Button>
          </div>
        </form>
      ) : (
        <div className="flex flex-col gap-3">
          {error ? <ErrorNotice error={error} compact testId="two-factor-error" /> : null}
          <div className="flex flex-wrap gap-2">
            {twoFactor !== "on" ? (
              <Button
                variant="primary"
                disabled={busy}
                onClick={() => run(profile.beginTwoFactor)}
                data-testid="two-factor-enable"
              >
                {t("settings.twoFactor.enable")}
              </Button>
            ) : null}
            {twoFactor !== "off" ? (
              <Button
                onClick={() => {
                  setError(null)
                  setDisabling(true)
                }}
                data-testid="two-factor-disable"
              >
                {t("settings.twoFactor.disable")}
              </Button>
            ) : null}
          </div>
        </div>
      )}
    </ProfilePanel>
  )
}
