import type { Config } from "@xionimus/config"
import { AppError, type Logger } from "@xionimus/kit"
import {
  type Budget,
  type BudgetVerdict,
  type CallScope,
  checkBudget,
  compatiblePresets,
  createModelCatalog,
  createModelRouter,
  createProviderRegistry,
  createSdkModelPort,
  createSecretBox,
  createUsageBuffer,
  keyHint,
  type ModelCatalog,
  type ModelPort,
  type ModelRouter,
  ProviderConfig,
  type ProvidersConfig,
  type SecretBox,
  testConnection,
} from "@xionimus/llm"
import type { ConnectionTest, ModelList, ProviderSetting, ProviderSettingInput } from "@xionimus/protocol"
import type { ProviderSettingRecord, Store } from "@xionimus/store"
import { listModels } from "./list-models.ts"
import { loadSecretsKey } from "./secrets-key.ts"

/** Models, providers and usage as the routes (and later the agent) use them. */
export interface LlmServices {
  readonly catalog: ModelCatalog
  /** The configured providers with the user's stored ones over them (keys decrypted, never shown). */
  providersFor(userId?: string): Promise<ProvidersConfig>
  /** A router over those providers that records every call's usage in the store. */
  routerFor(userId?: string): Promise<ModelRouter>
  listModels(userId?: string): Promise<ModelList>
  testProvider(providerId: string, userId?: string): Promise<ConnectionTest>
  listSettings(owner: SettingOwner): Promise<ProviderSetting[]>
  putSetting(owner: SettingOwner, input: ProviderSettingInput): Promise<ProviderSetting>
  removeSetting(owner: SettingOwner, providerId: string): Promise<void>
  /**
   * Whether any configured budget covering this scope is spent, or the user's or project team's model
   * quota (ask before each call). A refusal carries `code` (BUDGET_EXCEEDED or QUOTA_EXCEEDED) and details.
   */
  checkBudget(scope: CallScope): Promise<BudgetVerdict>
  /** Writes the usage rows still queued. */
  close(): Promise<void>
}

/** Whose stored provider settings: a user's own, or a team's (shared by its members). */
export interface SettingOwner {
  kind: "user" | "team"
  id: string
}

export interface LlmServiceDeps {
  config: Config
  store: Store
  dataDir: string
  logger: Logger
  /** The teams a user belongs to, whose provider settings the user gets (below their own). */
  teamsOf?: (userId: string) => Promise<string[]>
  /** The quota check for model calls (QUOTA_EXCEEDED), asked after the budgets. */
  quotaRefusal?: (scope: CallScope) => Promise<AppError | null>
  /** Encrypts stored provider keys; default: a box over the secrets key (config or <dataDir>/secret.key). */
  secretBox?: SecretBox
  /** Replaces fetch for every provider call (tests). */
  fetch?: typeof globalThis.fetch
  /** Replaces the providers for every routed call (tests: the scripted model). */
  modelPort?: ModelPort
}

const context = (record: Pick<ProviderSettingRecord, "ownerKind" | "ownerId" | "providerId">) =>
  `${record.ownerKind}:${record.ownerId}:${record.providerId}`

function shown(record: ProviderSettingRecord): ProviderSetting {
  return {
    ownerKind: record.ownerKind,
    ownerId: record.ownerId,
    providerId: record.providerId,
    type: record.type as ProviderSetting["type"],
    ...record.settings,
    keyHint: record.keyHint,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  }
}

export function createLlmServices(deps: LlmServiceDeps): LlmServices {
  const { config, store, logger } = deps
  // The model port logs the SDK's warnings with the provider and model; without this the SDK also
  // prints them to the console. The SDK reads only this global, hence the one assignment here.
  globalThis.AI_SDK_LOG_WARNINGS = false
  const catalog = createModelCatalog({
    overrides: config.models.catalog,
    onUnknown: (name, warning) => logger.warn({ model: name }, warning),
  })
  const usage = createUsageBuffer({
    write: (records) => store.usage.recordMany(records),
    logger: logger.child({ component: "usage" }),
  })
  let box: Promise<SecretBox> | undefined
  const secretBox = () => {
    box ??= deps.secretBox
      ? Promise.resolve(deps.secretBox)
      : loadSecretsKey(config.secretsKey, deps.dataDir).then(createSecretBox)
    return box
  }

  async function providersFor(userId?: string): Promise<ProvidersConfig> {
    const providers: ProvidersConfig = { ...(config.providers as ProvidersConfig) }
    if (!userId) return providers
    // Configured < the user's teams' < the user's own: the nearest owner wins.
    const teamIds = (await deps.teamsOf?.(userId)) ?? []
    const records = [
      ...(await Promise.all(teamIds.map((teamId) => store.providerSettings.list("team", teamId)))).flat(),
      ...(await store.providerSettings.list("user", userId)),
    ]
    for (const record of records) {
      const apiKey = record.keyCiphertext
        ? (await secretBox()).open(record.keyCiphertext, context(record))
        : undefined
      providers[record.providerId] = ProviderConfig.parse({
        type: record.type,
        ...record.settings,
        ...(apiKey ? { apiKey } : {}),
      })
    }
    return providers
  }

  async function registryFor(userId?: string) {
    return createProviderRegistry({
      providers: await providersFor(userId),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    })
  }

  return {
    catalog,
    providersFor,
    async routerFor(userId) {
      return createModelRouter({
        port:
          deps.modelPort ??
          createSdkModelPort({
            registry: await registryFor(userId),
            idleTimeoutMs: config.models.idleTimeoutMs,
            logger: logger.child({ component: "llm" }),
          }),
        catalog,
        config: {
          ...(config.models.default ? { default: config.models.default } : {}),
          roles: config.models.roles,
          fallbacks: config.models.fallbacks,
        },
        onCall: (record) => usage.record(record),
        logger,
      })
    },
    async listModels(userId) {
      return listModels(await providersFor(userId), config, catalog)
    },
    async testProvider(providerId, userId) {
      const registry = await registryFor(userId)
      const providerConfig = registry.providers()[providerId]
      if (!providerConfig) {
        throw new AppError(
          "PROVIDER_NOT_FOUND",
          `No provider "${providerId}" is configured (configured: ${Object.keys(registry.providers()).join(", ") || "none"}).`,
          { providerId },
        )
      }
      return testConnection({
        providerId,
        config: providerConfig,
        baseURL: registry.baseURLOf(providerId),
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      })
    },
    async listSettings(who) {
      return (await store.providerSettings.list(who.kind, who.id)).map(shown)
    },
    async putSetting(who, input) {
      const { apiKey, providerId, type, ...settings } = input
      const owner = { ownerKind: who.kind, ownerId: who.id, providerId }
      if (settings.preset !== undefined && !Object.hasOwn(compatiblePresets, settings.preset))
        throw new AppError(
          "VALIDATION_FAILED",
          `No preset "${settings.preset}"; the presets are ${Object.keys(compatiblePresets).join(", ")}.`,
          { preset: settings.preset },
        )
      if (type === "openai-compatible" && !settings.baseURL && !settings.preset)
        throw new AppError(
          "VALIDATION_FAILED",
          "An openai-compatible provider needs a baseURL or a preset.",
          {
            providerId,
          },
        )
      const key =
        apiKey === undefined
          ? undefined
          : { ciphertext: (await secretBox()).seal(apiKey, context(owner)), hint: keyHint(apiKey) }
      const record = await store.providerSettings.put({ ...owner, type, settings, ...(key ? { key } : {}) })
      return shown(record)
    },
    removeSetting: (who, providerId) => store.providerSettings.remove(who.kind, who.id, providerId),
    async checkBudget(scope) {
      const budgets: Budget[] = config.models.budgets.map((budget) => ({
        scope: `${budget.scope}Id` as Budget["scope"],
        id: budget.id,
        period: budget.period,
        limitUsd: budget.limitUsd,
      }))
      // Queued rows count too: write them first.
      await usage.flush()
      const verdict = await checkBudget(store.usage, budgets, scope)
      if (!verdict.allowed) return { ...verdict, code: "BUDGET_EXCEEDED" }
      const refusal = await deps.quotaRefusal?.(scope)
      if (!refusal) return verdict
      return {
        ...verdict,
        allowed: false,
        message: refusal.message,
        code: "QUOTA_EXCEEDED",
        details: refusal.details as Record<string, unknown>,
      }
    },
    close: () => usage.close(),
  }
}
