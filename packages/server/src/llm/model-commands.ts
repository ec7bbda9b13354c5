import type { Config } from "@xionimus/config"
import { resolveDataDir } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import {
  createModelCatalog,
  createProviderRegistry,
  type ProvidersConfig,
  testConnection,
} from "@xionimus/llm"
import {
  type ConnectionTest,
  type ModelList,
  UsageGroupBy,
  type UsageQuery,
  type UsageReport,
} from "@xionimus/protocol"
import { openStore } from "@xionimus/store"
import { ensureDirectory, type ServiceOptions, storeOptionsOf } from "../services.ts"
import { listModels } from "./list-models.ts"

export type {
  ConnectionTest,
  ModelInfo,
  ModelList,
  UsageQuery,
  UsageReport,
  UsageTotals,
} from "@xionimus/protocol"
/** The groupings `usage --by` accepts. */
export const usageGroups = UsageGroupBy.options

// What `xionimus models`, `models test` and `usage` need, without starting a server: the providers of
// the configuration (stored per-user settings live behind the API and are not read here).

/** The configured models with window, prices and capabilities. */
export function configuredModels(config: Config): ModelList {
  return listModels(
    config.providers as ProvidersConfig,
    config,
    createModelCatalog({ overrides: config.models.catalog }),
  )
}

/** Lists the models a configured provider's endpoint offers, or says why it cannot. */
export async function testConfiguredProvider(
  config: Config,
  providerId: string,
): Promise<ConnectionTest | undefined> {
  const registry = createProviderRegistry({ providers: config.providers as ProvidersConfig })
  const provider = registry.providers()[providerId]
  if (!provider) return undefined
  return testConnection({ providerId, config: provider, baseURL: registry.baseURLOf(providerId) })
}

/** Usage totals (and groups) straight from the database. */
export async function readUsage(
  config: Config,
  query: UsageQuery,
  options: ServiceOptions = {},
): Promise<UsageReport> {
  const dataDir = resolveDataDir(config, options.env ?? process.env)
  if (!config.databaseUrl) await ensureDirectory(dataDir)
  const store = await openStore({ ...storeOptionsOf(config, dataDir, options), logger: silentLogger() })
  try {
    const { groupBy, ...filter } = query
    const totals = await store.usage.totals(filter)
    const groups = groupBy ? await store.usage.breakdown(filter, groupBy) : []
    return { totals, ...(groupBy ? { groupBy } : {}), groups }
  } finally {
    await store.close()
  }
}
