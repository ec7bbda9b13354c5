import { useEffect, useMemo } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { SkeletonRows } from "../../components/list-card.tsx"
import { useStore } from "../../lib/store.ts"
import { createProviderSettings } from "../../stores/settings-providers-store.ts"
import { ProvidersDefaultModel } from "./providers-default-model.tsx"
import { ProvidersForm } from "./providers-form.tsx"
import { ProvidersList } from "./providers-list.tsx"

/** Providers and models: the user's and their teams' stored providers, adding, testing, the default model. */
export default function ProvidersSection() {
  const t = useT()
  const { providers, sessions, models } = useServices()
  const store = useMemo(
    () => createProviderSettings(providers, sessions, (list) => models.list.set(list)),
    [providers, sessions, models],
  )
  const state = useStore(store.state)
  useEffect(() => {
    void store.load()
  }, [store])

  if (state.status === "loading") return <SkeletonRows count={3} />
  if (state.status === "error" && state.error)
    return <ErrorNotice error={state.error} onRetry={() => void store.load()} testId="providers-error" />
  const manageable = state.teams.filter((team) => team.role === "owner")
  return (
    <div className="flex flex-col gap-8" data-testid="providers-section">
      <ProvidersDefaultModel models={state.models} />
      <ProvidersList
        title={t("settings.providers.mine")}
        empty={t("settings.providers.mineEmpty")}
        items={state.personal}
        store={store}
        canManage
        testId="providers-mine"
      />
      {state.teams.map((team) => (
        <ProvidersList
          key={team.id}
          title={t("settings.providers.team", { name: team.name })}
          empty={t("settings.providers.teamEmpty")}
          items={team.items}
          store={store}
          teamId={team.id}
          canManage={team.role === "owner"}
          testId={`providers-team-${team.id}`}
        />
      ))}
      <ProvidersForm store={store} teams={manageable} />
    </div>
  )
}
