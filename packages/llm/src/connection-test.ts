import { createModelError, type ModelErrorReason } from "./model-error.ts"
import { normaliseError } from "./normalise-error.ts"
import type { ProviderConfig } from "./provider-config.ts"

export interface ConnectionResult {
  ok: boolean
  provider: string
  baseURL: string
  /** The model ids the endpoint lists (empty when the test failed). */
  models: string[]
  latencyMs: number
  error?: { reason: ModelErrorReason; message: string }
}

export interface ConnectionTestOptions {
  providerId: string
  config: ProviderConfig
  /** The base URL the registry resolved (presets and defaults applied). */
  baseURL: string
  fetch?: typeof globalThis.fetch
  timeoutMs?: number
}

function request(config: ProviderConfig, baseURL: string): { url: string; headers: Record<string, string> } {
  const key = config.apiKey
  switch (config.type) {
    case "anthropic":
      return {
        url: `${baseURL}/models`,
        headers: { "anthropic-version": "2023-06-01", ...(key ? { "x-api-key": key } : {}) },
      }
    case "google":
      return { url: `${baseURL}/models`, headers: key ? { "x-goog-api-key": key } : {} }
    case "ollama":
      // The native list works on every Ollama version; baseURL ends in /v1 for calls.
      return { url: `${baseURL.replace(/\/v1$/, "")}/api/tags`, headers: {} }
    default:
      return { url: `${baseURL}/models`, headers: key ? { authorization: `Bearer ${key}` } : {} }
  }
}

function modelIds(body: unknown): string[] {
  const value = body as { data?: { id?: string }[]; models?: { name?: string }[] } | undefined
  if (Array.isArray(value?.data)) return value.data.flatMap((model) => (model.id ? [model.id] : []))
  if (Array.isArray(value?.models))
    return value.models.flatMap((model) => (model.name ? [model.name.replace(/^models\//, "")] : []))
  return []
}

/**
 * "Test connection": lists the models the endpoint offers, or says exactly why it could not —
 * a refused or unreachable address, a rejected key, a URL that is not the API (404, not JSON).
 */
export async function testConnection(options: ConnectionTestOptions): Promise<ConnectionResult> {
  const fetch = options.fetch ?? globalThis.fetch
  const started = performance.now()
  const secrets = options.config.apiKey ? [options.config.apiKey] : []
  const base = { provider: options.providerId, baseURL: options.baseURL }
  const fail = (reason: ModelErrorReason, message: string): ConnectionResult => ({
    ok: false,
    ...base,
    models: [],
    latencyMs: performance.now() - started,
    error: { reason, message },
  })
  const context = { provider: options.providerId, model: "", secrets }
  const { url, headers } = request(options.config, options.baseURL)
  let response: Response
  try {
    response = await fetch(url, {
      headers: { ...options.config.headers, ...headers },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    })
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    const why =
      (error as Error).name === "TimeoutError"
        ? `no answer within ${options.timeoutMs ?? 10_000} ms`
        : `${cause?.code ?? (error as Error).message}${cause?.message ? ` (${cause.message})` : ""}`
    const failure = createModelError({ ...context, reason: "transport", providerMessage: `${url}: ${why}` })
    return fail("transport", failure.message)
  }
  const text = await response.text()
  if (!response.ok) {
    const failure = normaliseError(
      {
        statusCode: response.status,
        responseBody: text,
        responseHeaders: Object.fromEntries(response.headers),
      },
      context,
    )
    const hint =
      response.status === 404
        ? ` ${url} does not exist: is the base URL the API root (often ending in /v1)?`
        : ""
    return fail(failure.reason, `${failure.message}${hint}`)
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return fail(
      "invalid_request",
      `${url} answered, but not with JSON: is the base URL the API root (often ending in /v1)?`,
    )
  }
  return { ok: true, ...base, models: modelIds(body), latencyMs: performance.now() - started }
}
