import type { Config } from "@xionimus/config"
import type { ModelCatalog, ProvidersConfig } from "@xionimus/llm"
import type { ModelInfo, ModelList } from "@xionimus/protocol"

/** Which catalog models a provider type serves when its config lists none. */
const familyOf: Record<string, RegExp | undefined> = {
  openai: /^(gpt-|o\d)/,
  anthropic: /^claude-/,
  google: /^gemini-/,
}

/**
 * The models a user can choose: each provider's listed models, else the catalog's models of its
 * family, plus every model named in models.default/roles/fallbacks; with window, prices, capabilities.
 */
export function listModels(providers: ProvidersConfig, config: Config, catalog: ModelCatalog): ModelList {
  const names = new Set<string>()
  for (const [id, provider] of Object.entries(providers)) {
    const family = familyOf[provider.type]
    const ids =
      provider.models ?? (family ? catalog.knownModelIds().filter((model) => family.test(model)) : [])
    for (const model of ids) names.add(`${id}/${model}`)
  }
  const named = [
    config.models.default,
    ...Object.values(config.models.roles),
    ...Object.entries(config.models.fallbacks).flatMap(([from, to]) => (from === "*" ? to : [from, ...to])),
  ]
  for (const name of named) if (name && Object.hasOwn(providers, name.split("/")[0] ?? "")) names.add(name)
  const models = [...names].sort().map((name): ModelInfo => {
    const { entry, source, warning } = catalog.lookup(name)
    return {
      name,
      provider: name.split("/")[0] ?? name,
      contextWindow: entry.contextWindow,
      maxOutputTokens: entry.maxOutputTokens,
      prices: entry.prices,
      capabilities: entry.capabilities,
      source,
      ...(warning ? { warning } : {}),
    }
  })
  return {
    catalogCompiled: catalog.compiled,
    models,
    ...(config.models.default ? { default: config.models.default } : {}),
  }
}
