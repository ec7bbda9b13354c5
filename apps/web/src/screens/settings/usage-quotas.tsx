import type { QuotaOverrideBody, QuotaUsage } from "@xionimus/protocol"
import type { ApiError } from "@xionimus/sdk"
import { useState } from "react"
import { useLocale, useT } from "../../app-context.tsx"
import { Button } from "../../components/button.tsx"
import type { MessageKey } from "../../i18n/en.ts"
import { formatDate } from "../../lib/format.ts"
import type { NamedQuotaReport } from "../../stores/settings-usage-store.ts"
import { formatPercent, formatQuotaAmount, type QuotaLevel, quotaFill } from "./usage-format.ts"
import { QuotaLimitsForm } from "./usage-quota-form.tsx"

const barColours: Record<QuotaLevel, string> = {
  unlimited: "bg-line-strong",
  ok: "bg-accent",
  warn: "bg-warning",
  over: "bg-danger",
}

/**
 * The quotas of the user and each of their teams, each with a progress bar; an instance administrator can
 * change a team's limits (`onSaveTeam`).
 */
export function UsageQuotas({
  reports,
  onSaveTeam,
}: {
  reports: NamedQuotaReport[]
  onSaveTeam?: (teamId: string, override: QuotaOverrideBody) => Promise<ApiError | null>
}) {
  const t = useT()
  const [editing, setEditing] = useState<string | null>(null)
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {reports.map((report) => {
        const title = report.teamName
          ? t("settings.usage.quotasTeam", { name: report.teamName })
          : t("settings.usage.quotasMine")
        return (
          <section
            key={`${report.scope}:${report.id}`}
            aria-label={title}
            data-testid="quota-report"
            data-scope={report.scope}
            className="flex flex-col gap-3 rounded-xl border border-line bg-surface p-4 shadow-xs"
          >
            <div className="flex items-center justify-between gap-2">
              <h3 className="font-semibold">{title}</h3>
              {onSaveTeam && report.scope === "team" && editing !== report.id ? (
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => setEditing(report.id)}
                  data-testid="quota-edit"
                >
                  {t("settings.usage.editLimits")}
                </Button>
              ) : null}
            </div>
            {report.quotas.map((quota) => (
              <QuotaBar key={quota.name} quota={quota} />
            ))}
            {onSaveTeam && editing === report.id ? (
              <QuotaLimitsForm
                quotas={report.quotas}
                onSave={(override) => onSaveTeam(report.id, override)}
                onDone={() => setEditing(null)}
              />
            ) : null}
          </section>
        )
      })}
    </div>
  )
}

function QuotaBar({ quota }: { quota: QuotaUsage }) {
  const t = useT()
  const locale = useLocale()
  const { share, level } = quotaFill(quota)
  const name = t(`settings.usage.quota.${quota.name}` as MessageKey)
  const used = formatQuotaAmount(quota.used, quota.unit, locale)
  const text =
    quota.limit === null
      ? t("settings.usage.quotaUnlimited", { used })
      : t("settings.usage.quotaOf", {
          used,
          limit: formatQuotaAmount(quota.limit, quota.unit, locale),
          percent: formatPercent(quota.used / Math.max(quota.limit, Number.MIN_VALUE), locale),
        })
  return (
    <div data-testid="quota" data-quota={quota.name} data-level={level}>
      <div className="flex items-baseline justify-between gap-2 text-[13px]">
        <span className="font-medium">{name}</span>
        <span className="text-muted tabular-nums">{text}</span>
      </div>
      {quota.limit === null ? null : (
        <div
          role="progressbar"
          aria-label={name}
          aria-valuemin={0}
          aria-valuemax={quota.limit}
          aria-valuenow={Math.min(quota.used, quota.limit)}
          aria-valuetext={text}
          className="mt-1.5 h-2 overflow-hidden rounded-full bg-sunken"
        >
          <div className={`h-full rounded-full ${barColours[level]}`} style={{ width: `${share * 100}%` }} />
        </div>
      )}
      {quota.resetsAt ? (
        <p className="mt-1 text-xs text-subtle">
          {t("settings.usage.quotaResets", { date: formatDate(quota.resetsAt, locale) })}
        </p>
      ) : null}
    </div>
  )
}
