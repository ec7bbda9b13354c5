import { useEffect, useMemo } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { Button, LinkButton } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { useStore } from "../../lib/store.ts"
import { createAuditLog } from "../../stores/settings-audit-store.ts"
import { AuditFilters } from "./audit-filters.tsx"
import { AuditRow } from "./audit-row.tsx"

/** The audit log (administrators): filtered, newest first, "load more", each entry expandable, export. */
export default function AuditSection() {
  const t = useT()
  const { account } = useServices()
  const audit = useMemo(() => createAuditLog(account), [account])
  useEffect(() => {
    audit.load()
    return () => audit.dispose()
  }, [audit])
  const state = useStore(audit.state)
  const usersById = useMemo(() => new Map(state.users.map((user) => [user.id, user])), [state.users])

  if (state.error?.code === "FORBIDDEN" && !state.loaded)
    return <p className="text-muted">{t("settings.audit.adminOnly")}</p>
  return (
    <div className="flex flex-col gap-4" data-testid="audit-section">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <p className="max-w-xl text-sm text-muted">{t("settings.audit.body")}</p>
        <LinkButton href={audit.exportUrl()} download="xionimus-audit.ndjson" data-testid="audit-export">
          {t("settings.audit.export")}
        </LinkButton>
      </div>
      <AuditFilters filter={state.filter} users={state.users} onApply={(filter) => audit.load(filter)} />
      {state.error ? (
        <ErrorNotice error={state.error} onRetry={() => audit.load()} testId="audit-error" />
      ) : null}
      {state.status === "loading" ? <Spinner label={t("settings.loading")} /> : null}
      {state.loaded && state.items.length === 0 && state.status === "idle" && !state.error ? (
        <p className="text-muted" data-testid="audit-empty">
          {t("settings.audit.empty")}
        </p>
      ) : null}
      {state.items.length > 0 ? (
        <div className="overflow-x-auto rounded-xl border border-line bg-surface">
          <table className="w-full text-left text-sm" data-testid="audit-table">
            <caption className="sr-only">{t("settings.section.audit")}</caption>
            <thead className="text-xs text-muted">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("settings.audit.time")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("settings.audit.action")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("settings.audit.outcome")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("settings.audit.actor")}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t("settings.audit.target")}
                </th>
              </tr>
            </thead>
            <tbody>
              {state.items.map((entry) => (
                <AuditRow
                  key={entry.id}
                  entry={entry}
                  actor={entry.actorUserId ? usersById.get(entry.actorUserId) : undefined}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {state.nextCursor ? (
        <div>
          <Button
            disabled={state.status !== "idle"}
            onClick={() => audit.loadMore()}
            data-testid="audit-more"
          >
            {state.status === "more" ? t("settings.loading") : t("settings.audit.more")}
          </Button>
        </div>
      ) : null}
    </div>
  )
}
