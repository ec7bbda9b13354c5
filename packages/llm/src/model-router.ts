import type { Logger } from "@xionimus/kit"
import { AppError, silentLogger } from "@xionimus/kit"
import { type Clock, systemClock } from "./clock.ts"
import { fitToWindow } from "./context-window.ts"
import { costOf } from "./cost.ts"
import type { ModelCatalog } from "./model-catalog.ts"
import { createModelError, isModelError, type ModelError } from "./model-error.ts"
import type { ModelPart, ModelPort, ModelRequest } from "./model-types.ts"
import { splitModelName } from "./provider-registry.ts"
import { withTextTools } from "./text-tool-port.ts"
import { createTokenCounter, type TokenCounter } from "./token-counter.ts"
import type { CallScope, UsageRecord } from "./usage-record.ts"

export interface RouterConfig {
  /** The model used when neither the request nor its role names one. */
  default?: string
  /** Role (conductor, implementer, reviewer, …) → model. */
  roles?: Record<string, string>
  /** Model → the models to try next, in order, when it fails retryably; "*" applies to every model. */
  fallbacks?: Record<string, string[]>
  retry?: {
    /** Calls per model before moving on (default 3). */
    attempts?: number
    /** First backoff; doubles per attempt (default 500 ms). */
    baseDelayMs?: number
    maxDelayMs?: number
    /** A provider asking to wait longer than this sends us to the fallback instead (default 60 s). */
    maxRetryAfterMs?: number
  }
}

/** What the router adds to the model's parts: visible retries and fallbacks. */
export type RoutedPart =
  | ModelPart
  | { type: "retry"; model: string; attempt: number; delayMs: number; error: ModelError }
  | { type: "fallback"; from: string; to: string; error: ModelError }

export interface RoutedRequest extends Omit<ModelRequest, "model"> {
  /** A model name; else the role's model; else the default. */
  model?: string
  role?: string
  /** Who the call is billed to. */
  scope?: CallScope
}

export interface ModelRouter {
  /** The model a request would start with. Raises MODEL_NOT_FOUND when nothing is configured. */
  choose(request: Pick<RoutedRequest, "model" | "role">): string
  /** The models tried in order for a starting model. */
  chainOf(model: string): string[]
  /**
   * The call with retries and fallbacks. Model failures arrive as `error` parts; a configuration
   * mistake (no model configured, a malformed model name) throws MODEL_NOT_FOUND before any call.
   */
  stream(request: RoutedRequest): AsyncIterable<RoutedPart>
}

export interface ModelRouterOptions {
  port: ModelPort
  catalog: ModelCatalog
  config: RouterConfig
  counter?: TokenCounter
  clock?: Clock
  /** Called once per attempt, with usage and cost (the usage ledger). Failures here are logged, not raised. */
  onCall?: (record: UsageRecord) => Promise<void> | void
  logger?: Logger
}

function hasImages(request: Pick<ModelRequest, "messages">): boolean {
  return request.messages.some(
    (message) =>
      message.role === "user" &&
      typeof message.content !== "string" &&
      message.content.some((part) => part.type === "image"),
  )
}

/**
 * Chooses the model (request → role → default), keeps the prompt inside its window, retries
 * retryable failures with backoff that honours retry-after, then falls back along the chain. A
 * failure after output has streamed is passed on: repeating it would duplicate what the user saw.
 */
export function createModelRouter(options: ModelRouterOptions): ModelRouter {
  const clock = options.clock ?? systemClock
  const counter = options.counter ?? createTokenCounter()
  const logger = options.logger ?? silentLogger()
  const attempts = options.config.retry?.attempts ?? 3
  const baseDelayMs = options.config.retry?.baseDelayMs ?? 500
  const maxDelayMs = options.config.retry?.maxDelayMs ?? 30_000
  const maxRetryAfterMs = options.config.retry?.maxRetryAfterMs ?? 60_000
  const textTools = withTextTools(options.port)

  const choose: ModelRouter["choose"] = (request) => {
    const model =
      request.model ??
      (request.role ? options.config.roles?.[request.role] : undefined) ??
      options.config.default
    if (!model)
      throw new AppError(
        "MODEL_NOT_FOUND",
        "No model is configured. Add a provider (for instance set OPENAI_API_KEY) and choose a default model under models.default.",
      )
    return model
  }
  const chainOf = (model: string) => {
    const next = options.config.fallbacks?.[model] ?? options.config.fallbacks?.["*"] ?? []
    return [model, ...next.filter((candidate) => candidate !== model)]
  }

  async function record(scope: CallScope | undefined, base: Omit<UsageRecord, keyof CallScope>) {
    try {
      await options.onCall?.({ ...scope, ...base })
    } catch (error) {
      logger.warn({ err: error, model: base.model }, "recording model usage failed")
    }
  }

  async function* stream(request: RoutedRequest): AsyncIterable<RoutedPart> {
    const chain = chainOf(choose(request))
    let lastError: ModelError | undefined
    for (const [index, model] of chain.entries()) {
      const { providerId, modelId } = splitModelName(model)
      const { entry } = options.catalog.lookup(model)
      if (!entry.capabilities.vision && hasImages(request)) {
        yield {
          type: "error",
          error: createModelError({
            provider: providerId,
            model: modelId,
            reason: "invalid_request",
            providerMessage:
              "the catalog says this model cannot read images; choose a vision model, or set capabilities.vision under models.catalog if it can",
          }),
        }
        return
      }
      let fitted: ModelRequest
      try {
        fitted = (await fitToWindow({ ...request, model }, entry, counter)).request
      } catch (error) {
        if (!isModelError(error)) throw error
        yield { type: "error", error }
        return
      }
      const call: ModelRequest = {
        ...fitted,
        maxOutputTokens: fitted.maxOutputTokens ?? entry.maxOutputTokens,
      }
      // Models without native tool calling get the tools as a prompt format (text-tool-protocol.ts).
      const port = entry.capabilities.tools || !call.tools?.length ? options.port : textTools
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const started = clock.now()
        const time = new Date(started).toISOString()
        let streamed = false
        let failure: ModelError | undefined
        for await (const part of port.stream(call)) {
          if (part.type === "error") {
            failure = part.error
            break
          }
          if (part.type === "finish") {
            const costUsd = costOf(part.usage, entry.prices)
            await record(request.scope, {
              time,
              provider: providerId,
              model: modelId,
              ...part.usage,
              costUsd,
              latencyMs: clock.now() - started,
              outcome: "ok",
            })
            yield { ...part, costUsd }
            return
          }
          streamed = true
          yield part
        }
        const error =
          failure ?? createModelError({ provider: providerId, model: modelId, reason: "transport" })
        await record(request.scope, {
          time,
          provider: providerId,
          model: modelId,
          inputTokens: 0,
          outputTokens: 0,
          cachedInputTokens: 0,
          reasoningTokens: 0,
          costUsd: 0,
          latencyMs: clock.now() - started,
          outcome: error.reason,
        })
        lastError = error
        if (streamed || !error.retryable) {
          yield { type: "error", error }
          return
        }
        if (attempt === attempts) break
        const delayMs = error.retryAfterMs ?? Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))
        if (delayMs > maxRetryAfterMs) break
        yield { type: "retry", model, attempt, delayMs, error }
        try {
          await clock.sleep(delayMs, request.signal)
        } catch {
          yield {
            type: "error",
            error: createModelError({ provider: providerId, model: modelId, reason: "aborted" }),
          }
          return
        }
      }
      const next = chain[index + 1]
      if (next && lastError) yield { type: "fallback", from: model, to: next, error: lastError }
    }
    if (lastError) yield { type: "error", error: lastError }
  }

  return { choose, chainOf, stream }
}
