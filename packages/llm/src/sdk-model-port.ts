import type { Logger } from "@xionimus/kit"
import { silentLogger } from "@xionimus/kit"
import { InvalidToolInputError, streamText } from "ai"
import { createModelError } from "./model-error.ts"
import type { FinishReason, ModelPart, ModelPort, ModelRequest, ModelUsage } from "./model-types.ts"
import { normaliseError } from "./normalise-error.ts"
import type { ProviderRegistry } from "./provider-registry.ts"
import { repairToolInput } from "./repair-json.ts"
import { toSdkMessages, toSdkTools } from "./to-sdk-messages.ts"

export interface SdkModelPortOptions {
  registry: ProviderRegistry
  /** Abort a call that produced nothing for this long (a hanging provider); default 120 s. */
  idleTimeoutMs?: number
  logger?: Logger
}

interface SdkUsage {
  inputTokens: number | undefined
  outputTokens: number | undefined
  inputTokenDetails?: { cacheReadTokens?: number | undefined }
  outputTokenDetails?: { reasoningTokens?: number | undefined }
}

function usageOf(usage: SdkUsage): ModelUsage {
  return {
    inputTokens: usage.inputTokens ?? 0,
    outputTokens: usage.outputTokens ?? 0,
    cachedInputTokens: usage.inputTokenDetails?.cacheReadTokens ?? 0,
    reasoningTokens: usage.outputTokenDetails?.reasoningTokens ?? 0,
  }
}

const finishReasons: Record<string, FinishReason> = {
  stop: "stop",
  length: "length",
  "tool-calls": "tool-calls",
  "content-filter": "content-filter",
}

const needsKey = new Set(["openai", "anthropic", "google"])

/**
 * The model port over the Vercel AI SDK's streamText. The SDK's own retries are off (the router
 * decides); errors become one `error` part with a normalised ModelError; a call that stays silent
 * for `idleTimeoutMs` is aborted as a transport failure.
 */
export function createSdkModelPort(options: SdkModelPortOptions): ModelPort {
  const logger = options.logger ?? silentLogger()
  const idleTimeoutMs = options.idleTimeoutMs ?? 120_000
  return {
    async *stream(request: ModelRequest): AsyncIterable<ModelPart> {
      let resolved: ReturnType<ProviderRegistry["resolve"]>
      try {
        resolved = options.registry.resolve(request.model)
      } catch (error) {
        const [provider = request.model, model = ""] = request.model.split("/", 2)
        yield {
          type: "error",
          error: createModelError({
            provider,
            model,
            reason: "invalid_request",
            providerMessage: (error as Error).message,
          }),
        }
        return
      }
      const context = { provider: resolved.providerId, model: resolved.modelId, secrets: resolved.secrets }
      // Official endpoints need a key; a proxy or local server at its own baseURL may not.
      if (needsKey.has(resolved.config.type) && !resolved.config.apiKey && !resolved.config.baseURL) {
        yield {
          type: "error",
          error: createModelError({
            ...context,
            reason: "auth",
            providerMessage: `no API key is configured for provider "${resolved.providerId}"`,
          }),
        }
        return
      }
      const controller = new AbortController()
      let timedOut = false
      let timer: NodeJS.Timeout | undefined
      // Each part only notes the time; one timer wakes up when the silence could have run out
      // (resetting a timer per part costs more than the rest of the part's handling).
      let lastPart = Date.now()
      const check = () => {
        const silent = Date.now() - lastPart
        if (silent < idleTimeoutMs) {
          timer = setTimeout(check, idleTimeoutMs - silent)
          return
        }
        timedOut = true
        controller.abort(new Error("idle timeout"))
      }
      const arm = () => {
        lastPart = Date.now()
      }
      const onAbort = () => controller.abort(request.signal?.reason)
      request.signal?.addEventListener("abort", onAbort, { once: true })
      if (request.signal?.aborted) controller.abort(request.signal.reason)
      const failure = (error: unknown): ModelPart => {
        const normalised = normaliseError(error, {
          ...context,
          aborted: request.signal?.aborted === true,
          ...(timedOut ? { timedOutAfterMs: idleTimeoutMs } : {}),
        })
        logger.warn(
          {
            provider: context.provider,
            model: context.model,
            reason: normalised.reason,
            status: normalised.details.status,
          },
          "model call failed",
        )
        return { type: "error", error: normalised }
      }
      timer = setTimeout(check, idleTimeoutMs)
      try {
        const tools = toSdkTools(request.tools)
        const result = streamText({
          model: resolved.model,
          messages: toSdkMessages(request.messages),
          ...(request.system ? { system: request.system } : {}),
          ...(tools ? { tools } : {}),
          ...(request.maxOutputTokens !== undefined ? { maxOutputTokens: request.maxOutputTokens } : {}),
          ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          maxRetries: 0,
          abortSignal: controller.signal,
          repairToolCall: async ({ toolCall, error }) => {
            if (!InvalidToolInputError.isInstance(error)) return null
            const repaired = repairToolInput(toolCall.input)
            return repaired === undefined ? null : { ...toolCall, input: JSON.stringify(repaired) }
          },
          // Errors travel as parts below; the default handler would print them to stderr.
          onError: () => {},
        })
        for await (const part of result.fullStream) {
          arm()
          switch (part.type) {
            case "text-delta":
              if (part.text) yield { type: "text-delta", text: part.text }
              break
            case "reasoning-delta":
              if (part.text) yield { type: "reasoning-delta", text: part.text }
              break
            case "tool-input-start":
              yield { type: "tool-input-start", toolCallId: part.id, toolName: part.toolName }
              break
            case "tool-input-delta":
              yield { type: "tool-input-delta", toolCallId: part.id, delta: part.delta }
              break
            case "tool-input-end":
              yield { type: "tool-input-end", toolCallId: part.id }
              break
            case "tool-call": {
              const invalid = (part as { invalid?: boolean; error?: unknown }).invalid
                ? String(
                    ((part as { error?: unknown }).error as Error | undefined)?.message ??
                      "the arguments are not valid JSON",
                  )
                : undefined
              yield {
                type: "tool-call",
                toolCallId: part.toolCallId,
                toolName: part.toolName,
                input: part.input,
                ...(invalid ? { invalid } : {}),
              }
              break
            }
            case "start-step":
              // The SDK's warnings (an unsupported setting, a compatibility mode) go to our log.
              if (part.warnings.length > 0)
                logger.warn(
                  { provider: context.provider, model: context.model, warnings: part.warnings },
                  "model call warnings",
                )
              break
            case "error":
              yield failure(part.error)
              return
            case "abort":
              yield failure(new Error("aborted"))
              return
            case "finish":
              yield {
                type: "finish",
                reason: finishReasons[part.finishReason] ?? "other",
                usage: usageOf(part.totalUsage),
                model: request.model,
              }
              return
            default:
              break
          }
        }
        yield failure(new Error("the stream ended without a finish"))
      } catch (error) {
        yield failure(error)
      } finally {
        clearTimeout(timer)
        request.signal?.removeEventListener("abort", onAbort)
        if (!controller.signal.aborted) controller.abort()
      }
    },
  }
}
