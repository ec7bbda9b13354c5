import { useEffect, useState } from "react"
import { useServices, useT } from "../../app-context.tsx"
import { ChevronLeftIcon } from "../../components/icons.tsx"
import { routeHref } from "../../lib/router.ts"
import { createRunList, type RunList } from "../../stores/orchestra-runs.ts"
import { BackLink } from "../project/project-header.tsx"
import { ViewSwitch } from "../project/view-switch.tsx"
import { NewRunForm } from "./new-run-form.tsx"
import { RunListView } from "./run-list-view.tsx"
import { RunScreen } from "./run-screen.tsx"

/** A project's orchestra: its runs and a new run, or one run's view (`#/projects/<id>/runs/<runId>`). */
export function RunsScreen({ projectId, runId }: { projectId: string; runId: string | null }) {
  const { orchestra, streams, router } = useServices()
  const t = useT()
  // Made in an effect (not a memo), so that React's development double mount gets a live one.
  const [list, setList] = useState<RunList | null>(null)
  useEffect(() => {
    const created = createRunList({ orchestra, streams, projectId })
    setList(created)
    return () => created.dispose()
  }, [orchestra, streams, projectId])
  useEffect(() => {
    if (list && !runId) void list.load()
  }, [list, runId])
  return (
    <div className="flex flex-col gap-4" data-testid="runs-screen">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <BackLink />
        <ViewSwitch projectId={projectId} view="runs" />
      </div>
      {runId ? (
        <>
          <a
            href={routeHref({ name: "runs", projectId, runId: null })}
            className="flex w-fit items-center gap-1 text-[13px] text-muted hover:text-fg"
            data-testid="runs-back"
          >
            <ChevronLeftIcon className="size-3.5" />
            {t("runs.allRuns")}
          </a>
          <RunScreen key={runId} projectId={projectId} runId={runId} />
        </>
      ) : (
        <>
          <div>
            <h1 className="text-xl font-semibold tracking-tight sm:text-2xl">{t("runs.title")}</h1>
            <p className="mt-1 max-w-2xl text-[13px] text-muted">{t("runs.intro")}</p>
          </div>
          {list ? (
            <>
              <RunListView list={list} projectId={projectId} />
              <NewRunForm
                list={list}
                onStarted={(started) => router.navigate({ name: "runs", projectId, runId: started })}
              />
            </>
          ) : null}
        </>
      )}
    </div>
  )
}
