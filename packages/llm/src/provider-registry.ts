import { createAnthropic } from "@ai-sdk/anthropic"
import { createGoogleGenerativeAI } from "@ai-sdk/google"
import { createOpenAI } from "@ai-sdk/openai"
import { createOpenAICompatible } from "@ai-sdk/openai-compatible"
import { AppError } from "@xionimus/kit"
import type { LanguageModel } from "ai"
import { compatiblePresets } from "./compatible-presets.ts"
import type { ProviderConfig, ProvidersConfig } from "./provider-config.ts"

/** A model resolved to the SDK object that calls it. */
export interface ResolvedModel {
  providerId: string
  modelId: string
  config: ProviderConfig
  model: Exclude<LanguageModel, string>
  /** Values to keep out of messages and logs (the provider's key). */
  secrets: string[]
}

export interface ProviderRegistry {
  /** Resolves `<providerId>/<modelId>`; raises MODEL_NOT_FOUND naming the configured providers. */
  resolve(name: string): ResolvedModel
  /** The configured providers by id. */
  providers(): Readonly<ProvidersConfig>
  /** The base URL requests of a provider go to (presets and defaults applied). */
  baseURLOf(providerId: string): string
}

export interface ProviderRegistryOptions {
  providers: ProvidersConfig
  /** Replaces global fetch (tests, proxies). */
  fetch?: typeof globalThis.fetch
}

const defaultBaseURLs: Record<ProviderConfig["type"], string> = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com/v1",
  google: "https://generativelanguage.googleapis.com/v1beta",
  ollama: "http://127.0.0.1:11434",
  "openai-compatible": "",
}

/** Splits `<providerId>/<modelId>` at the first slash; model ids may hold more slashes (OpenRouter). */
export function splitModelName(name: string): { providerId: string; modelId: string } {
  const slash = name.indexOf("/")
  if (slash <= 0 || slash === name.length - 1)
    throw new AppError(
      "MODEL_NOT_FOUND",
      `"${name}" is not a model name; write <provider>/<model>, for instance openai/gpt-4o.`,
      { model: name },
    )
  return { providerId: name.slice(0, slash), modelId: name.slice(slash + 1) }
}

function baseURLOf(config: ProviderConfig): string {
  const preset = config.preset ? compatiblePresets[config.preset] : undefined
  const url = config.baseURL ?? preset?.baseURL ?? defaultBaseURLs[config.type]
  return url.replace(/\/+$/, "")
}

type ModelFactory = (modelId: string) => Exclude<LanguageModel, string>

function factoryOf(providerId: string, config: ProviderConfig, fetch: typeof globalThis.fetch | undefined) {
  const baseURL = baseURLOf(config)
  const common = {
    ...(config.apiKey ? { apiKey: config.apiKey } : {}),
    ...(config.headers ? { headers: config.headers } : {}),
    ...(fetch ? { fetch } : {}),
  }
  switch (config.type) {
    case "openai": {
      // Without a key the SDK would read OPENAI_API_KEY itself; config is the only reader of env.
      const openai = createOpenAI({ ...common, apiKey: config.apiKey ?? "", baseURL, name: providerId })
      return (modelId: string) => (config.api === "chat" ? openai.chat(modelId) : openai.responses(modelId))
    }
    case "anthropic": {
      const anthropic = createAnthropic({ ...common, apiKey: config.apiKey ?? "", baseURL })
      return (modelId: string) => anthropic(modelId)
    }
    case "google": {
      const google = createGoogleGenerativeAI({ ...common, apiKey: config.apiKey ?? "", baseURL })
      return (modelId: string) => google(modelId)
    }
    case "ollama":
    case "openai-compatible": {
      if (!baseURL)
        throw new AppError(
          "CONFIG_INVALID",
          `Provider "${providerId}" is openai-compatible but has no baseURL; set providers.${providerId}.baseURL or a preset (${Object.keys(compatiblePresets).join(", ")}).`,
          { provider: providerId },
        )
      const compatible = createOpenAICompatible({
        ...common,
        name: providerId,
        baseURL: config.type === "ollama" ? `${baseURL}/v1` : baseURL,
        includeUsage: true,
      })
      return (modelId: string) => compatible(modelId)
    }
  }
}

export function createProviderRegistry(options: ProviderRegistryOptions): ProviderRegistry {
  const factories = new Map<string, ModelFactory>()
  const configured = () => Object.keys(options.providers).join(", ") || "none"
  return {
    resolve(name) {
      const { providerId, modelId } = splitModelName(name)
      const config = options.providers[providerId]
      if (!config)
        throw new AppError(
          "MODEL_NOT_FOUND",
          `No provider "${providerId}" is configured (configured: ${configured()}). Add it under "providers" in the config or set its API key variable.`,
          { model: name, provider: providerId },
        )
      let factory = factories.get(providerId)
      if (!factory) {
        factory = factoryOf(providerId, config, options.fetch)
        factories.set(providerId, factory)
      }
      return {
        providerId,
        modelId,
        config,
        model: factory(modelId),
        secrets: config.apiKey ? [config.apiKey] : [],
      }
    },
    providers: () => options.providers,
    baseURLOf(providerId) {
      const config = options.providers[providerId]
      if (!config) throw new AppError("MODEL_NOT_FOUND", `No provider "${providerId}" is configured.`)
      const url = baseURLOf(config)
      return config.type === "ollama" ? `${url}/v1` : url
    },
  }
}
