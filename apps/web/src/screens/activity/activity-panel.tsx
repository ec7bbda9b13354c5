import { useEffect, useMemo, useState } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { Button, IconButton } from "../../components/button.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { CloseIcon } from "../../components/icons.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { useStore } from "../../lib/store.ts"
import { createActivityFeed, groupActivity } from "../../stores/activity-store.ts"
import { serverCallChanges } from "../../stores/call-diff.ts"
import { CallChangesDialog } from "../editor/call-changes-dialog.tsx"
import { ActivityItem, type ActivityTarget, type AgentChange } from "./activity-item.tsx"

/** The project's live activity, newest first; a file or session in it opens with a click. */
export function ActivityPanel({ projectId, onClose }: { projectId: string; onClose?: () => void }) {
  const { client, streams, sessions, router, settings } = useServices()
  const t = useT()
  const feed = useMemo(
    () => createActivityFeed({ client, streams, sessions, projectId }),
    [client, streams, sessions, projectId],
  )
  useEffect(() => () => feed.dispose(), [feed])
  const { items, loading, hasOlder, error } = useStore(feed.state)
  const titles = useStore(feed.titles)
  const groups = useMemo(() => groupActivity(items), [items])
  const dark = useStore(settings.state, (state) => state.dark)
  const [diffOf, setDiffOf] = useState<AgentChange | null>(null)

  const open = (target: ActivityTarget) =>
    target.kind === "file"
      ? router.navigate({ name: "project", projectId, path: target.path })
      : router.navigate({ name: "sessions", projectId, sessionId: target.sessionId })

  return (
    <section
      className="flex min-h-0 flex-1 flex-col"
      aria-label={t("activity.label")}
      data-testid="activity-panel"
    >
      <div className="flex h-11 shrink-0 items-center justify-between border-b border-line pr-1.5 pl-4">
        <h2 className="text-xs font-semibold tracking-wide text-muted uppercase">{t("activity.title")}</h2>
        {onClose ? (
          <IconButton
            label={t("panels.close", { name: t("activity.title") })}
            onClick={onClose}
            data-testid="activity-close"
          >
            <CloseIcon className="size-3.5" />
          </IconButton>
        ) : null}
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto p-2">
        {error ? (
          <ErrorNotice error={error} compact testId="activity-error" onRetry={() => void feed.retry()} />
        ) : null}
        {items.length > 0 ? (
          <ol className="flex flex-col" data-testid="activity-list">
            {groups.map(({ event, count }) => (
              <ActivityItem
                key={event.seq}
                event={event}
                count={count}
                titles={titles}
                onOpen={open}
                onDiff={setDiffOf}
              />
            ))}
          </ol>
        ) : !loading && !error ? (
          <p className="px-2 py-6 text-center text-[13px] text-muted" data-testid="activity-empty">
            {t("activity.empty")}
          </p>
        ) : null}
        {loading ? (
          <div className="flex justify-center py-3">
            <Spinner label={t("activity.loading")} />
          </div>
        ) : hasOlder && items.length > 0 ? (
          <div className="flex justify-center py-2">
            <Button
              size="sm"
              variant="ghost"
              onClick={() => void feed.loadOlder()}
              data-testid="activity-older"
            >
              {t("activity.loadOlder")}
            </Button>
          </div>
        ) : null}
      </div>
      <CallChangesDialog
        open={diffOf !== null}
        onClose={() => setDiffOf(null)}
        load={async () => {
          if (!diffOf) return null
          const { sessionId, callId } = diffOf
          const changes = await serverCallChanges(() => sessions.callDiff(sessionId, callId))
          if (!changes) return null
          // The file the event names first.
          const files = [...changes.files].sort(
            (a, b) => Number(b.path === diffOf.path) - Number(a.path === diffOf.path),
          )
          return { changes: { ...changes, files }, fidelity: "whole" }
        }}
        t={t}
        dark={dark}
      />
    </section>
  )
}
