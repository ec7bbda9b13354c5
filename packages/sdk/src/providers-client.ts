import type {
  ConnectionTest,
  ProviderSetting,
  ProviderSettingInput,
  QuotaOverrideBody,
  QuotaReport,
  TeamRole,
  UsageQuery,
  UsageReport,
} from "@xionimus/protocol"
import {
  ConnectionTest as ConnectionTestSchema,
  ProviderSetting as ProviderSettingSchema,
  pageOf,
  QuotaReport as QuotaReportSchema,
  TeamList as TeamListSchema,
  UsageReport as UsageReportSchema,
} from "@xionimus/protocol"
import type { CallOptions, ClientOptions } from "./client.ts"
import { createHttp } from "./http.ts"

/** A team the signed-in user belongs to, with their role in it. */
export interface TeamOfUser {
  id: string
  name: string
  createdAt: string
  role: TeamRole
}

/** Whose provider settings a call is about: the signed-in user's own (no teamId) or a team's. */
export interface ProviderOwner extends CallOptions {
  teamId?: string
}

/**
 * Providers, models' connection tests, usage and quotas: what the settings screens need
 * (docs/api.md: /api/providers, /api/teams/:teamId/providers, /api/models/test, /api/usage, quotas).
 */
export interface ProvidersClient {
  /** Stored provider settings; keys never come back, only `keyHint` (`…abcd`). */
  listProviders(owner?: ProviderOwner): Promise<ProviderSetting[]>
  /** Creates or replaces one; omit `apiKey` to keep the stored key. Team settings need a team owner. */
  putProvider(input: ProviderSettingInput, owner?: ProviderOwner): Promise<ProviderSetting>
  removeProvider(providerId: string, owner?: ProviderOwner): Promise<void>
  /** Lists the models the endpoint offers, or says why it could not (`ok: false`, `error.reason`). */
  testProvider(providerId: string, options?: CallOptions): Promise<ConnectionTest>
  /** The signed-in user's teams with their role in each. */
  teams(options?: CallOptions): Promise<TeamOfUser[]>
  usage(query?: UsageQuery, options?: CallOptions): Promise<UsageReport>
  myQuotas(options?: CallOptions): Promise<QuotaReport>
  teamQuotas(teamId: string, options?: CallOptions): Promise<QuotaReport>
  /**
   * Instance administrators: replaces the team's quota override (a number sets a limit, null lifts it, a
   * missing one keeps the configured limit; `{}` goes back to the configuration). Answers the new report.
   */
  setTeamQuotas(teamId: string, override: QuotaOverrideBody, options?: CallOptions): Promise<QuotaReport>
}

const ProviderList = pageOf(ProviderSettingSchema).pick({ items: true })

export function createProvidersClient(options: ClientOptions): ProvidersClient {
  const http = createHttp(options)
  const signalOf = (callOptions?: CallOptions) => (callOptions?.signal ? { signal: callOptions.signal } : {})
  const base = (owner?: ProviderOwner) =>
    owner?.teamId ? `/api/teams/${encodeURIComponent(owner.teamId)}/providers` : "/api/providers"

  return {
    async listProviders(owner) {
      return (await http.json(base(owner), ProviderList, signalOf(owner))).items
    },
    putProvider({ providerId, ...body }, owner) {
      return http.json(`${base(owner)}/${encodeURIComponent(providerId)}`, ProviderSettingSchema, {
        method: "PUT",
        body,
        ...signalOf(owner),
      })
    },
    removeProvider: (providerId, owner) =>
      http.empty(`${base(owner)}/${encodeURIComponent(providerId)}`, {
        method: "DELETE",
        ...signalOf(owner),
      }),
    testProvider: (providerId, callOptions) =>
      http.json("/api/models/test", ConnectionTestSchema, {
        method: "POST",
        body: { provider: providerId },
        ...signalOf(callOptions),
      }),
    async teams(callOptions) {
      return (await http.json("/api/teams", TeamListSchema, signalOf(callOptions))).items
    },
    usage: (query = {}, callOptions) =>
      http.json("/api/usage", UsageReportSchema, { query: { ...query }, ...signalOf(callOptions) }),
    myQuotas: (callOptions) => http.json("/api/me/quotas", QuotaReportSchema, signalOf(callOptions)),
    teamQuotas: (teamId, callOptions) =>
      http.json(`/api/teams/${encodeURIComponent(teamId)}/quotas`, QuotaReportSchema, signalOf(callOptions)),
    setTeamQuotas: (teamId, override, callOptions) =>
      http.json(`/api/teams/${encodeURIComponent(teamId)}/quotas`, QuotaReportSchema, {
        method: "PUT",
        body: override,
        ...signalOf(callOptions),
      }),
  }
}
