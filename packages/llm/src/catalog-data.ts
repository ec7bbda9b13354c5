import type { CatalogEntry } from "./catalog-entry.ts"

/**
 * The built-in catalog, keyed by model id (without the provider id, so an OpenRouter or proxy
 * entry for the same model finds it too). Prices are the providers' list prices per million tokens
 * (standard tier, no batch discount) as published on their pricing pages when this was compiled;
 * they change: users override them in config (`models`), and `compiled` tells how old they are.
 */
export const catalogCompiled = "2026-11-22"

const openai = (
  contextWindow: number,
  maxOutputTokens: number,
  input: number,
  output: number,
  cachedInput: number,
  reasoning: boolean,
): CatalogEntry => ({
  contextWindow,
  maxOutputTokens,
  prices: { input, output, cachedInput },
  capabilities: { tools: true, vision: true, reasoning },
  tokenizer: "o200k",
})

const other = (
  contextWindow: number,
  maxOutputTokens: number,
  input: number,
  output: number,
  cachedInput: number,
  capabilities: CatalogEntry["capabilities"],
): CatalogEntry => ({
  contextWindow,
  maxOutputTokens,
  prices: { input, output, cachedInput },
  capabilities,
  tokenizer: "estimate",
})

const all = { tools: true, vision: true, reasoning: true }
const noReasoning = { tools: true, vision: true, reasoning: false }
const textTools = { tools: true, vision: false, reasoning: false }

export const catalogData: Record<string, CatalogEntry> = {
  "gpt-5": openai(400_000, 128_000, 1.25, 10, 0.125, true),
  "gpt-5-mini": openai(400_000, 128_000, 0.25, 2, 0.025, true),
  "gpt-5-nano": openai(400_000, 128_000, 0.05, 0.4, 0.005, true),
  "gpt-4.1": openai(1_047_576, 32_768, 2, 8, 0.5, false),
  "gpt-4.1-mini": openai(1_047_576, 32_768, 0.4, 1.6, 0.1, false),
  "gpt-4.1-nano": openai(1_047_576, 32_768, 0.1, 0.4, 0.025, false),
  "gpt-4o": openai(128_000, 16_384, 2.5, 10, 1.25, false),
  "gpt-4o-mini": openai(128_000, 16_384, 0.15, 0.6, 0.075, false),
  o3: openai(200_000, 100_000, 2, 8, 0.5, true),
  "o4-mini": openai(200_000, 100_000, 1.1, 4.4, 0.275, true),
  "claude-opus-4-1": other(200_000, 32_000, 15, 75, 1.5, all),
  "claude-sonnet-4-5": other(200_000, 64_000, 3, 15, 0.3, all),
  "claude-sonnet-4-0": other(200_000, 64_000, 3, 15, 0.3, all),
  "claude-haiku-4-5": other(200_000, 64_000, 1, 5, 0.1, all),
  "claude-3-5-haiku-latest": other(200_000, 8_192, 0.8, 4, 0.08, noReasoning),
  "gemini-2.5-pro": other(1_048_576, 65_536, 1.25, 10, 0.31, all),
  "gemini-2.5-flash": other(1_048_576, 65_536, 0.3, 2.5, 0.075, all),
  "gemini-2.5-flash-lite": other(1_048_576, 65_536, 0.1, 0.4, 0.025, all),
  "gemini-2.0-flash": other(1_048_576, 8_192, 0.1, 0.4, 0.025, noReasoning),
  "deepseek-chat": other(128_000, 8_192, 0.27, 1.1, 0.07, textTools),
  "deepseek-reasoner": other(128_000, 64_000, 0.55, 2.19, 0.14, {
    tools: false,
    vision: false,
    reasoning: true,
  }),
  "mistral-large-latest": other(128_000, 8_192, 2, 6, 2, noReasoning),
  "llama-3.3-70b-versatile": other(131_072, 32_768, 0.59, 0.79, 0.59, textTools),
  // Local models cost nothing per token; their window depends on how the server was started.
  "llama3.2": other(128_000, 4_096, 0, 0, 0, { tools: true, vision: false, reasoning: false }),
  "qwen2.5-coder": other(32_768, 8_192, 0, 0, 0, { tools: true, vision: false, reasoning: false }),
}

/** What an unknown model is assumed to be: small window, no vision, no native tools, free. */
export const unknownModelDefaults: CatalogEntry = {
  contextWindow: 8_192,
  maxOutputTokens: 2_048,
  prices: { input: 0, output: 0, cachedInput: 0 },
  capabilities: { tools: false, vision: false, reasoning: false },
  tokenizer: "estimate",
}
