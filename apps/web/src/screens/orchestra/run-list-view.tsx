import { useLocale, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import { EmptyState } from "../../components/empty-state.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { BoxIcon, ChevronLeftIcon, ChevronRightIcon } from "../../components/icons.tsx"
import { Spinner } from "../../components/spinner.tsx"
import { formatRelative } from "../../lib/format.ts"
import { routeHref } from "../../lib/router.ts"
import { useStore } from "../../lib/store.ts"
import type { RunList } from "../../stores/orchestra-runs.ts"
import { PhaseBadge } from "./phase-badge.tsx"
import { useFormatters } from "./use-formatters.ts"

/** The project's runs, newest first, a page at a time: goal, where each is, its packages and its cost so far. */
export function RunListView({ list, projectId }: { list: RunList; projectId: string }) {
  const t = useT()
  const locale = useLocale()
  const format = useFormatters()
  const state = useStore(list.state)
  if (!state.loaded) {
    if (state.error)
      return <ErrorNotice error={state.error} onRetry={() => void list.load()} testId="runs-error" />
    return (
      <p className="flex items-center gap-2 text-muted">
        <Spinner /> {t("runs.loading")}
      </p>
    )
  }
  if (state.items.length === 0)
    return (
      <EmptyState
        icon={<BoxIcon className="size-6" />}
        title={t("runs.empty")}
        body={t("runs.emptyBody")}
        testId="runs-empty"
      />
    )
  return (
    <div className="flex flex-col gap-3">
      {state.error ? <ErrorNotice error={state.error} compact onRetry={() => void list.load()} /> : null}
      <ul
        className="flex flex-col divide-y divide-line rounded-xl border border-line bg-surface shadow-xs"
        aria-label={t("runs.listLabel")}
      >
        {state.items.map((item) => {
          const budgetUsd = item.budget.costUsd
          return (
            <li key={item.runId} data-testid="run-row" data-run-id={item.runId}>
              <a
                href={routeHref({ name: "runs", projectId, runId: item.runId })}
                className="flex flex-col gap-1.5 px-4 py-3 hover:bg-sunken sm:flex-row sm:items-center sm:gap-4"
              >
                <span className="min-w-0 flex-1">
                  <span className="line-clamp-2 font-medium break-words">{item.goal}</span>
                  <span className="mt-0.5 block text-xs text-muted">
                    <span className="font-mono">{item.runId}</span>
                    {" · "}
                    {formatRelative(item.createdAt, locale)}
                    {item.origin?.kind === "fork"
                      ? ` · ${t("runs.forkOf", { runId: item.origin.runId, seq: item.origin.seq })}`
                      : item.origin?.kind === "import"
                        ? ` · ${t("runs.imported")}`
                        : null}
                  </span>
                </span>
                <span className="flex shrink-0 flex-wrap items-center gap-3 text-[13px] text-muted">
                  <span data-testid="run-row-packages">
                    {t("runs.packages", { done: item.packages.done, count: item.packages.total })}
                  </span>
                  {item.openGates > 0 ? (
                    <span data-testid="run-row-gates">{t("runs.gatesOpen", { count: item.openGates })}</span>
                  ) : null}
                  <span data-testid="run-row-cost">
                    {budgetUsd !== undefined
                      ? t("runs.costOf", {
                          cost: format.cost(item.usage.costUsd),
                          budget: format.cost(budgetUsd),
                        })
                      : format.cost(item.usage.costUsd)}
                  </span>
                  <PhaseBadge phase={item.phase} />
                </span>
              </a>
            </li>
          )
        })}
      </ul>
      {state.page > 0 || state.hasNext ? (
        <nav className="flex items-center justify-between gap-3 text-[13px]" aria-label={t("runs.listLabel")}>
          <Button
            size="sm"
            disabled={state.page === 0}
            onClick={() => void list.setPage(state.page - 1)}
            data-testid="runs-previous"
          >
            <ChevronLeftIcon className="size-3.5" />
            {t("runs.previous")}
          </Button>
          <span className="text-muted" data-testid="runs-page">
            {t("runs.page", { page: state.page + 1 })}
          </span>
          <Button
            size="sm"
            disabled={!state.hasNext}
            onClick={() => void list.setPage(state.page + 1)}
            data-testid="runs-next"
          >
            {t("runs.next")}
            <ChevronRightIcon className="size-3.5" />
          </Button>
        </nav>
      ) : null}
    </div>
  )
}
