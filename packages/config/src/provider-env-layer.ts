import type { ConfigLayer } from "./config-layer.ts"
import type { Env } from "./paths.ts"

/**
 * The variables other AI tools use for provider keys and endpoints, as the lowest configuration
 * layer: they make the common case work with no config file, and anything a config file says about
 * the same provider wins.
 */
export const providerEnvNames = [
  "OPENAI_API_KEY",
  "OPENAI_BASE_URL",
  "ANTHROPIC_API_KEY",
  "ANTHROPIC_BASE_URL",
  "GEMINI_API_KEY",
  "GOOGLE_GENERATIVE_AI_API_KEY",
  "OLLAMA_HOST",
] as const

/** OLLAMA_HOST as Ollama accepts it (`host`, `host:port`, a URL; 0.0.0.0 is a bind address) → a URL. */
export function ollamaURL(host: string): string {
  let value = host.trim()
  if (!/^https?:\/\//.test(value)) value = `http://${value}`
  const url = new URL(value)
  if (url.hostname === "0.0.0.0") url.hostname = "127.0.0.1"
  if (!url.port && !host.includes(":")) url.port = "11434"
  return url.toString().replace(/\/+$/, "")
}

/**
 * Base URLs as the AI SDK wants them. Anthropic's own tools read ANTHROPIC_BASE_URL without the
 * version (they append /v1/messages) while the AI SDK expects it, so /v1 is added when missing.
 */
function baseURLOf(id: string, value: string): string {
  if (id === "ollama") return ollamaURL(value)
  if (id === "anthropic" && !/\/v1\/?$/.test(value)) return `${value.replace(/\/+$/, "")}/v1`
  return value
}

export function readProviderEnvLayer(env: Env): ConfigLayer {
  const providers: Record<string, Record<string, string>> = {}
  const sources = new Map<string, string>()
  const set = (id: string, type: string, field: string, name: string) => {
    const value = env[name]
    if (!value) return
    providers[id] ??= { type }
    providers[id][field] = field === "baseURL" ? baseURLOf(id, value) : value
    sources.set(`providers.${id}.${field}`, name)
  }
  set("openai", "openai", "apiKey", "OPENAI_API_KEY")
  set("openai", "openai", "baseURL", "OPENAI_BASE_URL")
  set("anthropic", "anthropic", "apiKey", "ANTHROPIC_API_KEY")
  set("anthropic", "anthropic", "baseURL", "ANTHROPIC_BASE_URL")
  set("google", "google", "apiKey", env.GEMINI_API_KEY ? "GEMINI_API_KEY" : "GOOGLE_GENERATIVE_AI_API_KEY")
  set("ollama", "ollama", "baseURL", "OLLAMA_HOST")
  return {
    tree: Object.keys(providers).length > 0 ? { providers } : {},
    sourceOf: (path) => sources.get(path) ?? "provider environment variables",
  }
}
