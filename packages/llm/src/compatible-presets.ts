/**
 * OpenAI-compatible endpoints as data: adding one is an entry here or a config entry with a baseURL,
 * never code. `keyVariable` is only documentation of where the provider's own tools read the key;
 * Xionimus itself reads keys through its configuration.
 */
export interface CompatiblePreset {
  label: string
  baseURL: string
  /** Local servers need no key. */
  needsKey: boolean
  keyVariable?: string
}

export const compatiblePresets: Record<string, CompatiblePreset> = {
  ollama: { label: "Ollama", baseURL: "http://127.0.0.1:11434/v1", needsKey: false },
  lmstudio: { label: "LM Studio", baseURL: "http://127.0.0.1:1234/v1", needsKey: false },
  localai: { label: "LocalAI", baseURL: "http://127.0.0.1:8080/v1", needsKey: false },
  vllm: { label: "vLLM", baseURL: "http://127.0.0.1:8000/v1", needsKey: false },
  openrouter: {
    label: "OpenRouter",
    baseURL: "https://openrouter.ai/api/v1",
    needsKey: true,
    keyVariable: "OPENROUTER_API_KEY",
  },
  groq: {
    label: "Groq",
    baseURL: "https://api.groq.com/openai/v1",
    needsKey: true,
    keyVariable: "GROQ_API_KEY",
  },
  mistral: {
    label: "Mistral",
    baseURL: "https://api.mistral.ai/v1",
    needsKey: true,
    keyVariable: "MISTRAL_API_KEY",
  },
  deepseek: {
    label: "DeepSeek",
    baseURL: "https://api.deepseek.com/v1",
    needsKey: true,
    keyVariable: "DEEPSEEK_API_KEY",
  },
  perplexity: {
    label: "Perplexity",
    baseURL: "https://api.perplexity.ai",
    needsKey: true,
    keyVariable: "PERPLEXITY_API_KEY",
  },
  together: {
    label: "Together AI",
    baseURL: "https://api.together.xyz/v1",
    needsKey: true,
    keyVariable: "TOGETHER_API_KEY",
  },
}
