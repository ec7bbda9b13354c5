import type { QuotaOverrideBody, QuotaReport, UsageTotals } from "@xionimus/protocol"
import type { AccountClient, ApiError, Client, ProvidersClient } from "@xionimus/sdk"
import { createStore, type Store } from "../lib/store.ts"
import { isAbort, toApiError } from "../lib/to-api-error.ts"
import {
  type PeriodRange,
  periodRange,
  type UsageGroup,
  type UsageMetric,
  type UsagePeriod,
} from "../screens/settings/usage-data.ts"

/** A quota report with the name of whose it is (null: the signed-in user's own). */
export interface NamedQuotaReport extends QuotaReport {
  teamName: string | null
}

export interface UsageDashboardState {
  period: UsagePeriod
  metric: UsageMetric
  range: PeriodRange
  status: "loading" | "ready" | "error"
  error: ApiError | null
  totals: UsageTotals | null
  byDay: UsageGroup[]
  byModel: UsageGroup[]
  byProject: UsageGroup[]
  /** Project names by id (deleted projects included), for the per-project chart. */
  projectNames: Record<string, string>
  quotas: NamedQuotaReport[]
  quotasError: ApiError | null
  /** The signed-in user is an instance administrator: team quotas can be changed here. */
  admin: boolean
}

export interface UsageDashboard {
  state: Store<UsageDashboardState>
  /** Loads the period (the current one when absent); a newer load cancels an older one. */
  load(period?: UsagePeriod): Promise<void>
  setMetric(metric: UsageMetric): void
  /** Administrators: replaces a team's quota override; null when saved, else the error. */
  saveTeamQuotas(teamId: string, override: QuotaOverrideBody): Promise<ApiError | null>
  dispose(): void
}

/** The usage and cost dashboard: totals and breakdowns of a period, and the quotas of the user and teams. */
export function createUsageDashboard(deps: {
  providers: ProvidersClient
  client: Client
  /** Who is signed in (whether they may change team quotas); absent: nobody may. */
  account?: Pick<AccountClient, "me">
  now?: () => Date
}): UsageDashboard {
  const now = deps.now ?? (() => new Date())
  const state = createStore<UsageDashboardState>({
    period: "30d",
    metric: "cost",
    range: periodRange("30d", now()),
    status: "loading",
    error: null,
    totals: null,
    byDay: [],
    byModel: [],
    byProject: [],
    projectNames: {},
    quotas: [],
    quotasError: null,
    admin: false,
  })
  deps.account?.me().then(
    (principal) => state.patch({ admin: principal.user.admin }),
    () => undefined, // without it the quotas are shown read-only
  )
  let controller: AbortController | undefined

  async function quotas(signal: AbortSignal): Promise<NamedQuotaReport[]> {
    const [mine, teams] = await Promise.all([
      deps.providers.myQuotas({ signal }),
      deps.providers.teams({ signal }),
    ])
    const ofTeams = await Promise.all(
      teams.map(async (team) => ({
        ...(await deps.providers.teamQuotas(team.id, { signal })),
        teamName: team.name,
      })),
    )
    return [{ ...mine, teamName: null }, ...ofTeams]
  }

  async function projectNames(signal: AbortSignal): Promise<Record<string, string>> {
    const page = await deps.client.listProjects({ limit: 200, deleted: "include", signal })
    return Object.fromEntries(page.items.map((project) => [project.id, project.name]))
  }

  return {
    state,
    async load(period = state.get().period) {
      controller?.abort()
      const current = new AbortController()
      controller = current
      const { signal } = current
      const range = periodRange(period, now())
      state.patch({ period, range, status: "loading", error: null })
      const query = { from: range.from, to: range.to }
      const usage = (groupBy: "day" | "model" | "project") =>
        deps.providers.usage({ ...query, groupBy }, { signal })
      try {
        const [byDay, byModel, byProject, names] = await Promise.all([
          usage("day"),
          usage("model"),
          usage("project"),
          projectNames(signal).catch(() => ({})),
        ])
        if (signal.aborted) return
        state.patch({
          status: "ready",
          totals: byDay.totals,
          byDay: byDay.groups,
          byModel: byModel.groups,
          byProject: byProject.groups,
          projectNames: names,
        })
      } catch (error) {
        if (isAbort(error) || signal.aborted) return
        state.patch({ status: "error", error: toApiError(error) })
        return
      }
      try {
        const reports = await quotas(signal)
        if (!signal.aborted) state.patch({ quotas: reports, quotasError: null })
      } catch (error) {
        if (!isAbort(error) && !signal.aborted) state.patch({ quotasError: toApiError(error) })
      }
    },
    setMetric: (metric) => state.patch({ metric }),
    async saveTeamQuotas(teamId, override) {
      try {
        const report = await deps.providers.setTeamQuotas(teamId, override)
        state.set((previous) => ({
          ...previous,
          quotas: previous.quotas.map((item) =>
            item.scope === "team" && item.id === teamId ? { ...report, teamName: item.teamName } : item,
          ),
        }))
        return null
      } catch (error) {
        return toApiError(error)
      }
    },
    dispose() {
      controller?.abort()
    },
  }
}
