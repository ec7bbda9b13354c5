import { z } from "zod"

export const providerTypes = ["openai", "openai-compatible", "anthropic", "google", "ollama"] as const

/**
 * One configured provider. The same shape comes from the config file (`providers.<id>`), from the
 * conventional environment variables (through @xionimus/config) and from a user's stored settings.
 */
export const ProviderConfig = z.strictObject({
  type: z.enum(providerTypes),
  /** An openai-compatible preset (lmstudio, groq, …) filling baseURL and the key's variable. */
  preset: z.string().optional(),
  baseURL: z.url().optional(),
  apiKey: z.string().min(1).optional(),
  /** Model ids offered from this provider; empty means "whatever the catalog knows for it". */
  models: z.array(z.string().min(1)).optional(),
  /** OpenAI only: which API the models are called through (default: responses). */
  api: z.enum(["responses", "chat"]).optional(),
  /** Extra HTTP headers sent with every request (OpenRouter's HTTP-Referer, for instance). */
  headers: z.record(z.string(), z.string()).optional(),
})
export type ProviderConfig = z.infer<typeof ProviderConfig>

export const ProvidersConfig = z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/), ProviderConfig)
export type ProvidersConfig = z.infer<typeof ProvidersConfig>
