import type { ApiError } from "@xionimus/sdk"
import { useState } from "react"
import { useLocale, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { formatRelative } from "../../lib/format.ts"
import { useStore } from "../../lib/store.ts"
import { describeDevice } from "../../stores/settings-profile-device.ts"
import type { Profile } from "../../stores/settings-profile-store.ts"
import { ProfilePanel } from "./profile-panel.tsx"

/** The browser sign-ins of the account: device, address, last seen, this one marked; end the others. */
export function ProfileSessions({ profile }: { profile: Profile }) {
  const t = useT()
  const locale = useLocale()
  const sessions = useStore(profile.state, (state) => state.sessions)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const others = sessions.filter((session) => !session.current).length

  async function run(action: () => Promise<ApiError | null>): Promise<void> {
    setBusy(true)
    setError(await action())
    setBusy(false)
  }

  return (
    <ProfilePanel
      title={t("settings.sessions.title")}
      description={t("settings.sessions.body")}
      testId="sign-in-sessions"
    >
      {error ? <ErrorNotice error={error} compact testId="sessions-error" /> : null}
      <ul
        className="divide-y divide-line rounded-lg border border-line"
        aria-label={t("settings.sessions.title")}
      >
        {sessions.map((session) => (
          <li
            key={session.id}
            className="flex flex-wrap items-center gap-3 px-4 py-3"
            data-testid="sign-in-session"
            data-current={session.current}
          >
            <div className="min-w-48 flex-1">
              <p className="font-medium text-fg">
                {describeDevice(session.userAgent) ??
                  session.userAgent ??
                  t("settings.sessions.unknownDevice")}
                {session.current ? (
                  <span className="ml-2 rounded bg-accent/10 px-1.5 py-0.5 text-xs text-accent">
                    {t("settings.sessions.current")}
                  </span>
                ) : null}
              </p>
              <p className="text-xs text-muted">
                {session.ip ?? t("settings.sessions.unknownAddress")}
                {" · "}
                {t("settings.sessions.lastSeen", { time: formatRelative(session.lastSeenAt, locale) })}
                {" · "}
                {t("settings.sessions.signedIn", { time: formatRelative(session.createdAt, locale) })}
              </p>
            </div>
            {session.current ? null : (
              <Button
                size="sm"
                variant="danger"
                disabled={busy}
                onClick={() => run(() => profile.endSession(session.id))}
                data-testid="sign-in-session-end"
              >
                {t("settings.sessions.end")}
              </Button>
            )}
          </li>
        ))}
      </ul>
      {others > 0 ? (
        <div>
          <Button
            disabled={busy}
            onClick={() => run(profile.endOtherSessions)}
            data-testid="sign-in-sessions-end-others"
          >
            {t("settings.sessions.endOthers", { count: others })}
          </Button>
        </div>
      ) : (
        <p className="text-sm text-muted" data-testid="sign-in-sessions-only">
          {t("settings.sessions.onlyThis")}
        </p>
      )}
    </ProfilePanel>
  )
}
