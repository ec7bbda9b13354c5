import type { CatalogEntry } from "./catalog-entry.ts"
import type { ModelUsage } from "./model-types.ts"

/**
 * The cost of one call in US dollars: cached input at the cached price, the rest of the input at the
 * input price, all output (reasoning included, as providers bill it) at the output price.
 */
export function costOf(usage: ModelUsage, prices: CatalogEntry["prices"]): number {
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens)
  const fresh = usage.inputTokens - cached
  return (fresh * prices.input + cached * prices.cachedInput + usage.outputTokens * prices.output) / 1_000_000
}
