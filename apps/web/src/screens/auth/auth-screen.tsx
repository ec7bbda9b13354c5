import type { AuthStatus } from "@xionimus/protocol"
import type { AuthClient } from "@xionimus/sdk"
import { type FormEvent, useState } from "react"
import { Button, buttonClass } from "../../components/button.tsx"
import { Field } from "../../components/field.tsx"
import type { Translate } from "../../i18n/translate.ts"
import { parseRoute } from "../../lib/router.ts"
import { toApiError } from "../../lib/to-api-error.ts"

/**
 * Shown instead of the app until the browser is signed in: the first-run form while no owner exists
 * (with the setup token field when not on the server's machine), else the sign-in form.
 */
export function AuthScreen({
  auth,
  status,
  providers = [],
  t,
  onSignedIn,
}: {
  auth: AuthClient
  status: AuthStatus
  /** OpenID Connect providers offered beside the password form. */
  providers?: { id: string; name: string; startUrl: string }[]
  t: Translate
  onSignedIn: () => void
}) {
  const setup = status.setupRequired
  // Opened from a team invitation link: after signing in, the page lands on the invitation.
  const invitation = parseRoute(window.location.hash).name === "invitation"
  const [email, setEmail] = useState("")
  const [name, setName] = useState("")
  const [password, setPassword] = useState("")
  const [setupToken, setSetupToken] = useState("")
  // Two-factor sign-in: the code field appears once the server answers TOTP_REQUIRED.
  const [needsCode, setNeedsCode] = useState(false)
  const [code, setCode] = useState("")
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<{ code: string; message: string } | null>(null)

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      if (setup) {
        await auth.setup({
          email,
          password,
          ...(name.trim() ? { name: name.trim() } : {}),
          ...(setupToken.trim() ? { setupToken: setupToken.trim() } : {}),
        })
      } else {
        await auth.login({ email, password, ...(needsCode && code.trim() ? { code: code.trim() } : {}) })
      }
      onSignedIn()
    } catch (caught) {
      const apiError = toApiError(caught)
      if (apiError.code === "TOTP_REQUIRED" && !needsCode) {
        setNeedsCode(true)
        setError(null)
        setBusy(false)
        return
      }
      setError({ code: apiError.code, message: apiError.message })
      setBusy(false)
    }
  }

  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-sm flex-col justify-center gap-6 px-4 py-10">
      <div className="flex flex-col gap-2">
        <p className="text-sm font-semibold text-accent">{t("app.name")}</p>
        <h1 className="text-2xl font-semibold text-fg">
          {setup ? t("auth.setup.title") : t("auth.signIn.title")}
        </h1>
        {setup ? <p className="text-muted">{t("auth.setup.body")}</p> : null}
        {setup && !status.setupFromHere ? <p className="text-muted">{t("auth.setup.remote")}</p> : null}
        {!setup && invitation ? (
          <p className="text-muted" data-testid="auth-invitation-note">
            {t("auth.invitationNote")}
          </p>
        ) : null}
      </div>
      <form
        className="flex flex-col gap-4"
        onSubmit={submit}
        data-testid={setup ? "setup-form" : "sign-in-form"}
      >
        <Field
          id="auth-email"
          label={t("auth.email")}
          type="email"
          autoComplete={setup ? "email" : "username"}
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          data-testid="auth-email"
        />
        {setup ? (
          <Field
            id="auth-name"
            label={t("auth.name")}
            autoComplete="name"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        ) : null}
        <Field
          id="auth-password"
          label={t("auth.password")}
          hint={setup ? t("auth.passwordHint") : undefined}
          type="password"
          autoComplete={setup ? "new-password" : "current-password"}
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          data-testid="auth-password"
        />
        {setup && !status.setupFromHere ? (
          <Field
            id="auth-setup-token"
            label={t("auth.setup.token")}
            autoComplete="off"
            value={setupToken}
            onChange={(event) => setSetupToken(event.target.value)}
            data-testid="auth-setup-token"
          />
        ) : null}
        {needsCode ? (
          <Field
            id="auth-code"
            label={t("auth.code")}
            hint={t("auth.codeHint")}
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            autoFocus
            value={code}
            onChange={(event) => setCode(event.target.value)}
            data-testid="auth-code"
          />
        ) : null}
        {error ? (
          <p
            role="alert"
            data-testid="auth-error"
            data-error-code={error.code}
            className="rounded-lg bg-danger-soft px-3 py-2 text-fg"
          >
            {error.message}
          </p>
        ) : null}
        <Button type="submit" variant="primary" disabled={busy} data-testid="auth-submit">
          {setup ? t("auth.setup.submit") : t("auth.signIn.submit")}
        </Button>
      </form>
      {!setup && providers.length > 0 ? (
        <div className="flex flex-col gap-2" data-testid="auth-providers">
          {providers.map((provider) => (
            <a key={provider.id} href={provider.startUrl} className={buttonClass("secondary")}>
              {t("auth.signInWith", { name: provider.name })}
            </a>
          ))}
        </div>
      ) : null}
    </main>
  )
}
