import { join } from "node:path"
import type { Config } from "@xionimus/config"
import { AppError } from "@xionimus/kit"
import type { QuotaName, QuotaOverrideBody, QuotaReport, QuotaUsage } from "@xionimus/protocol"
import { workspaceSize } from "@xionimus/sandbox"
import type { Store } from "@xionimus/store"

type Scope = "user" | "team"
type Limits = Partial<Record<QuotaName, number | null>>

/** Who a model call, run or write is counted against: the user, and the team owning the project. */
export interface QuotaSubject {
  userId?: string | undefined
  teamId?: string | undefined
  projectId?: string | undefined
}

/**
 * Quotas per user and per team (docs/auth.md#quotas): model spend per UTC day and month (from the usage
 * ledger), sandbox CPU seconds per UTC day (recorded per run) and storage bytes (a team's workspaces).
 * Limits come from the configuration (`quotas.user`, `quotas.team`), with a team's override on top.
 * Every assert raises QUOTA_EXCEEDED with details { quota, scope, id, used, limit, unit, resetsAt }.
 */
export interface QuotaService {
  report(scope: Scope, id: string): Promise<QuotaReport>
  /** The first exhausted model-spend quota of the user or the project's team, or null. */
  modelRefusal(subject: QuotaSubject): Promise<AppError | null>
  assertSandbox(subject: QuotaSubject): Promise<void>
  recordSandbox(subject: QuotaSubject & { projectId: string; cpuMs: number }): Promise<void>
  /** Refuses a write of `addingBytes` into the project when its team's storage would pass the quota. */
  assertStorage(projectId: string, addingBytes: number): Promise<void>
  /** The same for a new project of the team (0 bytes: refused only when the team's storage is used up). */
  assertTeamStorage(teamId: string, addingBytes: number): Promise<void>
  /** Replaces the team's override; an empty body removes it. */
  setTeamOverride(teamId: string, override: QuotaOverrideBody): Promise<Limits>
  teamOverride(teamId: string): Promise<Limits | null>
}

const units: Record<QuotaName, QuotaUsage["unit"]> = {
  modelUsdPerDay: "usd",
  modelUsdPerMonth: "usd",
  sandboxCpuSecondsPerDay: "cpu-seconds",
  storageBytes: "bytes",
}

const wording: Record<QuotaName, string> = {
  modelUsdPerDay: "model spend per day",
  modelUsdPerMonth: "model spend per month",
  sandboxCpuSecondsPerDay: "sandbox CPU time per day",
  storageBytes: "storage",
}

// A team's storage is walked at most this often per team (workspaces can be large).
const storageCacheMs = 30_000

export function createQuotaService(deps: {
  config: Config
  store: Store
  workspacesRoot: string
  clock?: () => Date
}): QuotaService {
  const { store } = deps
  const clock = deps.clock ?? (() => new Date())
  const storageCache = new Map<string, { bytes: number; at: number }>()

  const periodOf = (name: QuotaName, now: Date) => {
    const year = now.getUTCFullYear()
    const month = now.getUTCMonth()
    const day = now.getUTCDate()
    if (name === "modelUsdPerMonth")
      return { from: new Date(Date.UTC(year, month, 1)), to: new Date(Date.UTC(year, month + 1, 1)) }
    if (name === "storageBytes") return null
    return { from: new Date(Date.UTC(year, month, day)), to: new Date(Date.UTC(year, month, day + 1)) }
  }

  async function limitsOf(scope: Scope, id: string): Promise<Limits> {
    if (scope === "user") return { ...deps.config.quotas.user }
    const override = (await store.accountPolicies.teamSetting(id)).quotas ?? {}
    return { ...deps.config.quotas.team, ...override }
  }

  async function storageOf(teamId: string): Promise<number> {
    const cached = storageCache.get(teamId)
    if (cached && clock().getTime() - cached.at < storageCacheMs) return cached.bytes
    let bytes = 0
    for (const projectId of await store.accountPolicies.teamProjectIds(teamId))
      bytes += await workspaceSize(join(deps.workspacesRoot, projectId))
    storageCache.set(teamId, { bytes, at: clock().getTime() })
    return bytes
  }

  async function usedOf(name: QuotaName, scope: Scope, id: string, now: Date): Promise<number> {
    const period = periodOf(name, now)
    const filter = scope === "user" ? { userId: id } : { teamId: id }
    if (name === "storageBytes") return scope === "team" ? storageOf(id) : 0
    const from = period!.from.toISOString()
    if (name === "sandboxCpuSecondsPerDay")
      return (await store.accountPolicies.sandboxCpuMs({ ...filter, from })) / 1000
    if (scope === "team") return store.accountPolicies.teamModelSpend(id, from)
    return (await store.usage.totals({ userId: id, from })).costUsd
  }

  function exceeded(usage: QuotaUsage, scope: Scope, id: string): AppError {
    const amount = (value: number) =>
      usage.unit === "usd"
        ? `$${value.toFixed(value < 1 ? 4 : 2)}`
        : usage.unit === "bytes"
          ? `${value} bytes`
          : `${Math.round(value * 10) / 10} s`
    const whose = scope === "user" ? "Your" : "The team's"
    const next = usage.resetsAt
      ? `It starts again at ${usage.resetsAt}; until then ask an administrator to raise the quota.`
      : "Free space (delete files or projects) or ask an administrator to raise the quota."
    return new AppError(
      "QUOTA_EXCEEDED",
      `${whose} ${wording[usage.name]} quota of ${amount(usage.limit ?? 0)} is used up (${amount(usage.used)} used). ${next}`,
      {
        quota: usage.name,
        scope,
        id,
        used: usage.used,
        limit: usage.limit,
        unit: usage.unit,
        resetsAt: usage.resetsAt,
      },
    )
  }

  async function usage(name: QuotaName, scope: Scope, id: string, limits: Limits): Promise<QuotaUsage> {
    const now = clock()
    return {
      name,
      unit: units[name],
      used: await usedOf(name, scope, id, now),
      limit: limits[name] ?? null,
      resetsAt: periodOf(name, now)?.to.toISOString() ?? null,
    }
  }

  /** The first quota among `names` that is used up for the subject's user or team. */
  async function refusal(subject: QuotaSubject, names: QuotaName[], adding = 0): Promise<AppError | null> {
    const teamId =
      subject.teamId ?? (subject.projectId ? await store.teams.teamOfProject(subject.projectId) : undefined)
    const scopes: [Scope, string | undefined][] = [
      ["user", subject.userId],
      ["team", teamId],
    ]
    for (const [scope, id] of scopes) {
      if (!id) continue
      const limits = await limitsOf(scope, id)
      for (const name of names) {
        const limit = limits[name]
        if (limit === undefined || limit === null) continue
        const current = await usage(name, scope, id, limits)
        const over = adding > 0 ? current.used + adding > limit : current.used >= limit
        if (over) return exceeded(current, scope, id)
      }
    }
    return null
  }

  const service: QuotaService = {
    async report(scope, id) {
      const limits = await limitsOf(scope, id)
      const names = QuotaNames.filter((name) => scope === "team" || name !== "storageBytes")
      return { scope, id, quotas: await Promise.all(names.map((name) => usage(name, scope, id, limits))) }
    },
    // The caller (llm services' checkBudget) writes queued usage rows first.
    async modelRefusal(subject) {
      return refusal(subject, ["modelUsdPerDay", "modelUsdPerMonth"])
    },
    async assertSandbox(subject) {
      const error = await refusal(subject, ["sandboxCpuSecondsPerDay"])
      if (error) throw error
    },
    async recordSandbox(subject) {
      const teamId = subject.teamId ?? (await store.teams.teamOfProject(subject.projectId))
      await store.accountPolicies.recordSandboxUsage({
        userId: subject.userId ?? null,
        teamId: teamId ?? null,
        projectId: subject.projectId,
        cpuMs: subject.cpuMs,
      })
    },
    async assertStorage(projectId, addingBytes) {
      const teamId = await store.teams.teamOfProject(projectId)
      if (teamId) await service.assertTeamStorage(teamId, Math.max(1, addingBytes))
    },
    async assertTeamStorage(teamId, addingBytes) {
      const limit = (await limitsOf("team", teamId)).storageBytes
      if (limit === undefined || limit === null) return
      const error = await refusal({ teamId }, ["storageBytes"], addingBytes)
      if (error) throw error
      // The write lands: count it until the next walk.
      const cached = storageCache.get(teamId)
      if (cached) cached.bytes += addingBytes
    },
    async setTeamOverride(teamId, override) {
      const quotas = Object.keys(override).length > 0 ? (override as Limits) : null
      await store.accountPolicies.updateTeamSetting(teamId, {
        quotas: quotas as Record<string, number | null>,
      })
      return quotas ?? {}
    },
    async teamOverride(teamId) {
      return (await store.accountPolicies.teamSetting(teamId)).quotas
    },
  }
  return service
}

const QuotaNames: QuotaName[] = [
  "modelUsdPerDay",
  "modelUsdPerMonth",
  "sandboxCpuSecondsPerDay",
  "storageBytes",
]
