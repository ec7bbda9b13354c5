import type { TeamRole } from "@xionimus/protocol"
import type { ApiError } from "@xionimus/sdk"
import { type FormEvent, useState } from "react"
import { useLocale, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Field } from "../../components/field.tsx"
import { useStore } from "../../lib/store.ts"
import { canManage, type TeamSettings } from "../../stores/settings-team-store.ts"
import { ProfilePanel } from "./profile-panel.tsx"
import { ProfileSecret } from "./profile-secret.tsx"
import { teamRoles } from "./team-members.tsx"

/** Invite by e-mail with a role and an expiry; the link is shown once, with copy. */
export function InvitationForm({ team }: { team: TeamSettings }) {
  const t = useT()
  const locale = useLocale()
  const state = useStore(team.state)
  const manage = canManage(state)
  const [email, setEmail] = useState("")
  const [role, setRole] = useState<TeamRole>("editor")
  const [days, setDays] = useState(7)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault()
    setBusy(true)
    const failure = await team.invite({ email: email.trim(), role, expiresInDays: days })
    setError(failure)
    setBusy(false)
    if (!failure) setEmail("")
  }

  return (
    <ProfilePanel
      title={t("settings.invite.title")}
      description={t("settings.invite.body")}
      testId="team-invitations"
    >
      {manage ? (
        <form className="flex flex-wrap items-end gap-3" onSubmit={submit} data-testid="invite-form">
          <div className="min-w-56 flex-1">
            <Field
              id="invite-email"
              label={t("auth.email")}
              type="email"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              data-testid="invite-email"
            />
          </div>
          <label className="flex flex-col gap-1.5 text-[13px] font-medium text-fg">
            {t("settings.invite.role")}
            <select
              className="h-9 rounded-lg border border-line-strong bg-surface px-2"
              value={role}
              onChange={(event) => setRole(event.target.value as TeamRole)}
              data-testid="invite-role"
            >
              {teamRoles.map((item) => (
                <option key={item} value={item}>
                  {t(`settings.role.${item}`)}
                </option>
              ))}
            </select>
          </label>
          <div className="w-32">
            <Field
              id="invite-days"
              label={t("settings.invite.days")}
              type="number"
              min={1}
              max={30}
              required
              value={days}
              onChange={(event) => setDays(Math.max(1, Math.min(30, Number(event.target.value) || 1)))}
              data-testid="invite-days"
            />
          </div>
          <Button
            type="submit"
            variant="primary"
            disabled={busy || !email.trim()}
            data-testid="invite-submit"
          >
            {t("settings.invite.submit")}
          </Button>
        </form>
      ) : (
        <p className="text-sm text-muted">{t("settings.team.ownerOnly")}</p>
      )}
      {error ? <ErrorNotice error={error} compact testId="invite-error" /> : null}
      {state.invitations.length > 0 ? (
        <ul className="flex flex-col gap-3" aria-label={t("settings.invite.created")}>
          {state.invitations.map((invitation) => (
            <li
              key={invitation.url}
              className="rounded-lg border border-line p-3"
              data-testid="invitation-created"
            >
              <p className="mb-2 text-sm text-fg">
                {t("settings.invite.for", {
                  email: invitation.email,
                  role: t(`settings.role.${invitation.role}`),
                  date: new Date(invitation.expiresAt).toLocaleString(locale, {
                    dateStyle: "medium",
                    timeStyle: "short",
                  }),
                })}
              </p>
              <ProfileSecret
                label={t("settings.invite.link")}
                value={invitation.url}
                testId="invitation-link"
              />
            </li>
          ))}
        </ul>
      ) : null}
    </ProfilePanel>
  )
}
