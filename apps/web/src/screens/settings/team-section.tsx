import { useEffect, useMemo } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { useStore } from "../../lib/store.ts"
import { createTeamSettings } from "../../stores/settings-team-store.ts"
import { InvitationForm } from "./invitation-form.tsx"
import { TeamMembers } from "./team-members.tsx"
import { TeamPendingInvitations } from "./team-pending-invitations.tsx"

/** Team and invitations: pick one of my teams, its members and roles, invite people, open invitations. */
export default function TeamSection() {
  const t = useT()
  const { account } = useServices()
  const team = useMemo(() => createTeamSettings(account), [account])
  useEffect(() => {
    team.load()
  }, [team])
  const state = useStore(team.state)

  if (!state.loaded && state.teams.length === 0) return <Spinner label={t("settings.loading")} />
  if (state.error && state.teams.length === 0)
    return <ErrorNotice error={state.error} onRetry={() => team.load()} testId="team-load-error" />
  if (state.teams.length === 0)
    return (
      <p className="text-muted" data-testid="team-none">
        {t("settings.team.none")}
      </p>
    )
  const current = state.teams.find((item) => item.id === state.teamId)
  return (
    <div className="flex flex-col gap-6" data-testid="team-section">
      <div className="flex flex-wrap items-center gap-3">
        <label htmlFor="team-picker" className="text-sm font-medium text-fg">
          {t("settings.team.pick")}
        </label>
        <select
          id="team-picker"
          className="h-9 rounded-lg border border-line-strong bg-surface px-2"
          value={state.teamId ?? ""}
          onChange={(event) => team.selectTeam(event.target.value)}
          data-testid="team-picker"
        >
          {state.teams.map((item) => (
            <option key={item.id} value={item.id}>
              {item.name}
            </option>
          ))}
        </select>
        {current ? (
          <span className="text-sm text-muted" data-testid="team-my-role">
            {t("settings.team.myRole", { role: t(`settings.role.${current.role}`) })}
          </span>
        ) : null}
      </div>
      {state.error ? (
        <ErrorNotice error={state.error} onRetry={() => team.load()} testId="team-load-error" />
      ) : null}
      {state.loaded ? (
        <>
          <TeamMembers team={team} />
          <InvitationForm team={team} />
          <TeamPendingInvitations team={team} />
        </>
      ) : (
        <Spinner label={t("settings.loading")} />
      )}
    </div>
  )
}
