import type { ApiError } from "@xionimus/sdk"
import { type FormEvent, useState } from "react"
import { useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Field } from "../../components/field.tsx"
import { passwordProblems, passwordStrength } from "../../stores/settings-profile-password.ts"
import type { Profile } from "../../stores/settings-profile-store.ts"
import { ProfilePanel } from "./profile-panel.tsx"

const strengthKeys = [
  "settings.password.strength0",
  "settings.password.strength1",
  "settings.password.strength2",
  "settings.password.strength3",
] as const

/** Change the password: the current one, the new one with a live strength hint, the server's verdict. */
export function ProfilePassword({ profile, email }: { profile: Profile; email: string }) {
  const t = useT()
  const [current, setCurrent] = useState("")
  const [next, setNext] = useState("")
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [done, setDone] = useState(false)
  const problems = next ? passwordProblems(next, email) : []
  const strength = passwordStrength(next, email)

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault()
    setBusy(true)
    setDone(false)
    const failure = await profile.changePassword(current, next)
    setBusy(false)
    setError(failure)
    if (!failure) {
      setCurrent("")
      setNext("")
      setDone(true)
    }
  }

  return (
    <ProfilePanel title={t("settings.password.title")} description={t("settings.password.body")}>
      <form className="flex max-w-md flex-col gap-4" onSubmit={submit} data-testid="password-form">
        <Field
          id="password-current"
          label={t("settings.password.current")}
          type="password"
          autoComplete="current-password"
          required
          value={current}
          onChange={(event) => setCurrent(event.target.value)}
          data-testid="password-current"
        />
        <div className="flex flex-col gap-1.5">
          <Field
            id="password-new"
            label={t("settings.password.new")}
            hint={t("auth.passwordHint")}
            type="password"
            autoComplete="new-password"
            required
            value={next}
            aria-describedby="password-new-strength"
            onChange={(event) => setNext(event.target.value)}
            data-testid="password-new"
          />
          <div id="password-new-strength" aria-live="polite" className="text-xs text-muted">
            {next ? (
              <>
                <span data-testid="password-strength" data-strength={strength}>
                  {t(strengthKeys[strength])}
                </span>
                {problems.length > 0 ? (
                  <ul className="mt-1 list-disc pl-5">
                    {problems.map((problem) => (
                      <li key={problem}>{t(`settings.password.problem.${problem}`)}</li>
                    ))}
                  </ul>
                ) : null}
              </>
            ) : null}
          </div>
        </div>
        {error ? <ErrorNotice error={error} compact testId="password-error" /> : null}
        {done ? (
          <p role="status" data-testid="password-changed" className="text-sm text-fg">
            {t("settings.password.changed")}
          </p>
        ) : null}
        <div>
          <Button
            type="submit"
            variant="primary"
            disabled={busy || !current || problems.length > 0 || !next}
            data-testid="password-submit"
          >
            {t("settings.password.submit")}
          </Button>
        </div>
      </form>
    </ProfilePanel>
  )
}
