import type { ProviderSetting } from "@xionimus/protocol"
import { useT } from "../../app-context.tsx"
import { ListCard } from "../../components/list-card.tsx"
import type { ProviderSettings } from "../../stores/settings-providers-store.ts"
import { ProvidersRow } from "./providers-row.tsx"

/** One owner's stored providers (the user's own, or a team's) under a heading. */
export function ProvidersList({
  title,
  empty,
  items,
  store,
  teamId,
  canManage,
  testId,
}: {
  title: string
  empty: string
  items: ProviderSetting[]
  store: ProviderSettings
  teamId?: string
  canManage: boolean
  testId: string
}) {
  const t = useT()
  return (
    <section className="flex flex-col gap-3" data-testid={testId}>
      <h2 className="text-base font-semibold">{title}</h2>
      {items.length === 0 ? (
        <p className="text-muted" data-testid={`${testId}-empty`}>
          {empty}
        </p>
      ) : (
        <ListCard label={title}>
          {items.map((setting) => (
            <ProvidersRow
              key={setting.providerId}
              setting={setting}
              store={store}
              canManage={canManage}
              {...(teamId ? { teamId } : {})}
            />
          ))}
        </ListCard>
      )}
      {!canManage ? <p className="text-xs text-subtle">{t("settings.providers.teamReadOnly")}</p> : null}
    </section>
  )
}
