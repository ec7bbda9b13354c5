import { catalogCompiled, catalogData, unknownModelDefaults } from "./catalog-data.ts"
import type { CatalogEntry, CatalogOverride } from "./catalog-entry.ts"
import { splitModelName } from "./provider-registry.ts"

export interface CatalogLookup {
  entry: CatalogEntry
  /** Where the numbers come from. */
  source: "catalog" | "override" | "defaults"
  /** Set for unknown models: what was assumed and how to correct it. */
  warning?: string
}

export interface ModelCatalog {
  readonly compiled: string
  /** Looks up `<provider>/<model>`: the user's override first, then the built-in entry by model id. */
  lookup(name: string): CatalogLookup
  /** Every model id the built-in catalog knows. */
  knownModelIds(): string[]
}

export interface ModelCatalogOptions {
  /** Overrides keyed by `<provider>/<model>` or by bare model id. */
  overrides?: Record<string, CatalogOverride>
  /** Called once per unknown model with the warning (the composition root logs it). */
  onUnknown?: (name: string, warning: string) => void
}

function merge(base: CatalogEntry, override: CatalogOverride): CatalogEntry {
  return {
    contextWindow: override.contextWindow ?? base.contextWindow,
    maxOutputTokens: override.maxOutputTokens ?? base.maxOutputTokens,
    prices: { ...base.prices, ...stripUndefined(override.prices) },
    capabilities: { ...base.capabilities, ...stripUndefined(override.capabilities) },
    tokenizer: override.tokenizer ?? base.tokenizer,
  }
}

function stripUndefined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(value ?? {}).filter(([, field]) => field !== undefined),
  ) as Partial<T>
}

/** Strips suffixes providers add to the same model (dated snapshots, Ollama tags, OpenRouter vendors). */
function baseIdOf(modelId: string): string {
  const bare = modelId.slice(modelId.lastIndexOf("/") + 1).replace(/:latest$/, "")
  if (Object.hasOwn(catalogData, bare)) return bare
  return bare
    .replace(/-\d{4}-\d{2}-\d{2}$/, "")
    .replace(/-\d{8}$/, "")
    .replace(/:.*$/, "")
}

export function createModelCatalog(options: ModelCatalogOptions = {}): ModelCatalog {
  const warned = new Set<string>()
  const overrides = options.overrides ?? {}
  return {
    compiled: catalogCompiled,
    lookup(name) {
      const { modelId } = splitModelName(name)
      const override = overrides[name] ?? overrides[modelId]
      const known = catalogData[baseIdOf(modelId)]
      if (known)
        return override
          ? { entry: merge(known, override), source: "override" }
          : { entry: known, source: "catalog" }
      if (override) return { entry: merge(unknownModelDefaults, override), source: "override" }
      const warning =
        `The catalog does not know ${name}; assuming a ${unknownModelDefaults.contextWindow}-token window, ` +
        "no native tool calling, no vision and no price. Set its numbers under models in the config."
      if (!warned.has(name)) {
        warned.add(name)
        options.onUnknown?.(name, warning)
      }
      return { entry: unknownModelDefaults, source: "defaults", warning }
    },
    knownModelIds: () => Object.keys(catalogData),
  }
}
