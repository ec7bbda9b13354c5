import { useEffect, useMemo } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { useStore } from "../../lib/store.ts"
import { createProfile } from "../../stores/settings-profile-store.ts"
import { ProfileApiKeys } from "./profile-api-keys.tsx"
import { ProfileData } from "./profile-data.tsx"
import { ProfileName } from "./profile-name.tsx"
import { ProfilePanel } from "./profile-panel.tsx"
import { ProfilePassword } from "./profile-password.tsx"
import { ProfileSessions } from "./profile-sessions.tsx"
import { ProfileTwoFactor } from "./profile-two-factor.tsx"

/** Profile and security: who I am, password, two-factor, API keys, sign-in sessions, my data. */
export default function ProfileSection() {
  const t = useT()
  const { account } = useServices()
  const profile = useMemo(() => createProfile(account), [account])
  useEffect(() => {
    profile.load()
  }, [profile])
  const { principal, loaded, error } = useStore(profile.state)

  if (!loaded) return <Spinner label={t("settings.loading")} />
  if (error || !principal)
    return error ? <ErrorNotice error={error} onRetry={() => profile.load()} testId="profile-error" /> : null
  const user = principal.user
  return (
    <div className="flex flex-col gap-6" data-testid="profile-section">
      <ProfilePanel title={t("settings.profile.title")}>
        <ProfileName profile={profile} name={user.name} />
        <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
          <dt className="text-muted">{t("auth.email")}</dt>
          <dd className="text-fg" data-testid="profile-email">
            {user.email}
          </dd>
          <dt className="text-muted">{t("settings.profile.role")}</dt>
          <dd className="text-fg">
            {user.admin ? t("settings.profile.admin") : t("settings.profile.member")}
          </dd>
        </dl>
      </ProfilePanel>
      <ProfilePassword profile={profile} email={user.email} />
      <ProfileTwoFactor profile={profile} />
      <ProfileApiKeys profile={profile} />
      <ProfileSessions profile={profile} />
      <ProfileData profile={profile} email={user.email} />
    </div>
  )
}
