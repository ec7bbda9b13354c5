import { useEffect, useMemo } from "react"
import { useLocale, useServices, useT } from "../../app-context.tsx"
import { ErrorNotice } from "../../components/error-notice.tsx"
import { SkeletonRows } from "../../components/list-card.tsx"
import type { MessageKey } from "../../i18n/en.ts"
import { useStore } from "../../lib/store.ts"
import { createUsageDashboard } from "../../stores/settings-usage-store.ts"
import { ChartBars } from "./chart-bars.tsx"
import { ChartColumns } from "./chart-columns.tsx"
import { ChartFrame } from "./chart-frame.tsx"
import {
  dailySeries,
  rankedSeries,
  type UsageMetric,
  type UsagePeriod,
  usageMetrics,
  usagePeriods,
} from "./usage-data.ts"
import { formatDay, formatMetric } from "./usage-format.ts"
import { UsageQuotas } from "./usage-quotas.tsx"
import { UsageTotalsRow } from "./usage-totals.tsx"

/** Usage and cost: a period, its totals, charts per day, model and project, and the quotas. */
export default function UsageSection() {
  const t = useT()
  const locale = useLocale()
  const { providers, client, account } = useServices()
  const dashboard = useMemo(
    () => createUsageDashboard({ providers, client, account }),
    [providers, client, account],
  )
  const state = useStore(dashboard.state)
  useEffect(() => {
    void dashboard.load()
    return () => dashboard.dispose()
  }, [dashboard])

  const { metric } = state
  const format = (value: number) => formatMetric(value, metric, locale)
  const formatAxis = (value: number) => formatMetric(value, metric, locale, true)
  const valueLabel = t(`settings.usage.metric.${metric}` as MessageKey)
  const ranked = { limit: 8, noneLabel: t("settings.usage.noProject"), otherLabel: t("settings.usage.other") }
  const days = dailySeries(state.byDay, state.range.days, metric, (day) => formatDay(day, locale))
  const models = rankedSeries(state.byModel, metric, ranked)
  const projects = rankedSeries(state.byProject, metric, {
    ...ranked,
    nameOf: (id) => state.projectNames[id],
  })
  const empty = state.status === "ready" && (state.totals?.calls ?? 0) === 0

  return (
    <div className="flex flex-col gap-6" data-testid="usage-section" data-status={state.status}>
      <div className="flex flex-wrap items-end gap-4">
        <div className="flex flex-col gap-1.5">
          <label htmlFor="usage-period" className="text-[13px] font-medium">
            {t("settings.usage.period")}
          </label>
          <select
            id="usage-period"
            data-testid="usage-period"
            className="h-9 rounded-lg border border-line-strong bg-surface px-3"
            value={state.period}
            onChange={(event) => void dashboard.load(event.target.value as UsagePeriod)}
          >
            {usagePeriods.map((period) => (
              <option key={period} value={period}>
                {t(`settings.usage.period.${period}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1.5">
          <label htmlFor="usage-metric" className="text-[13px] font-medium">
            {t("settings.usage.metric")}
          </label>
          <select
            id="usage-metric"
            data-testid="usage-metric"
            className="h-9 rounded-lg border border-line-strong bg-surface px-3"
            value={metric}
            onChange={(event) => dashboard.setMetric(event.target.value as UsageMetric)}
          >
            {usageMetrics.map((item) => (
              <option key={item} value={item}>
                {t(`settings.usage.metric.${item}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {state.status === "error" && state.error ? (
        <ErrorNotice error={state.error} onRetry={() => void dashboard.load()} testId="usage-error" />
      ) : state.status === "loading" && !state.totals ? (
        <SkeletonRows count={3} />
      ) : (
        <>
          {state.totals ? <UsageTotalsRow totals={state.totals} /> : null}
          {empty ? (
            <p className="text-muted" data-testid="usage-empty">
              {t("settings.usage.empty")}
            </p>
          ) : null}
          <ChartFrame
            title={t("settings.usage.byDay")}
            columnLabel={t("settings.usage.day")}
            valueLabel={valueLabel}
            data={days}
            format={format}
            testId="usage-chart-day"
          >
            <ChartColumns data={days} format={format} formatAxis={formatAxis} />
          </ChartFrame>
          <div className="grid gap-6 lg:grid-cols-2">
            <ChartFrame
              title={t("settings.usage.byModel")}
              columnLabel={t("settings.usage.model")}
              valueLabel={valueLabel}
              data={models}
              format={format}
              testId="usage-chart-model"
            >
              {models.length ? <ChartBars data={models} format={format} /> : <NoData />}
            </ChartFrame>
            <ChartFrame
              title={t("settings.usage.byProject")}
              columnLabel={t("settings.usage.project")}
              valueLabel={valueLabel}
              data={projects}
              format={format}
              testId="usage-chart-project"
            >
              {projects.length ? <ChartBars data={projects} format={format} /> : <NoData />}
            </ChartFrame>
          </div>
        </>
      )}
      <section className="flex flex-col gap-3">
        <h2 className="text-base font-semibold">{t("settings.usage.quotas")}</h2>
        {state.quotasError ? (
          <ErrorNotice
            error={state.quotasError}
            onRetry={() => void dashboard.load()}
            testId="quotas-error"
          />
        ) : (
          <UsageQuotas
            reports={state.quotas}
            {...(state.admin ? { onSaveTeam: dashboard.saveTeamQuotas } : {})}
          />
        )}
      </section>
    </div>
  )
}

function NoData() {
  const t = useT()
  return <p className="py-6 text-center text-[13px] text-subtle">{t("settings.usage.noData")}</p>
}
