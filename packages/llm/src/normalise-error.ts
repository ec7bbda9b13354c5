import { createModelError, isModelError, type ModelError, type ModelErrorReason } from "./model-error.ts"
import { redactSecrets } from "./redact-secrets.ts"
import { retryAfterMsOf } from "./retry-after.ts"

export interface ErrorContext {
  provider: string
  model: string
  /** The caller aborted: whatever the SDK reports, the reason is `aborted`. */
  aborted?: boolean
  /** Our idle timeout fired after this many ms without a part. */
  timedOutAfterMs?: number
  /** Values that must never appear in the message (the provider's API key). */
  secrets?: string[]
}

/** The fields of the SDK's APICallError (and of stream error chunks) that tell failures apart. */
interface ProviderFailure {
  statusCode?: number
  responseHeaders?: Record<string, string>
  responseBody?: string
  data?: unknown
  message?: string
  name?: string
  cause?: unknown
  type?: string
  error?: { type?: string; message?: string; code?: string | null }
}

const contextOverflow =
  /context[_ ]length|context window|maximum context|prompt is too long|too many tokens|exceeds the maximum number of tokens|input length exceeds|input token count|reduce the length/i
const contentPolicy =
  /content[_ ]?policy|content[_ ]filter|safety system|flagged|responsible ai|SAFETY|PROHIBITED_CONTENT/
const quotaCodes =
  /insufficient_quota|billing_error|billing_hard_limit|credit balance is too low|payment required/i
const authCodes =
  /API_KEY_INVALID|invalid_api_key|authentication_error|permission_error|invalid x-api-key|unauthorized/i
const overloadedCodes = /overloaded/i

function parseBody(text: string | undefined): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** The provider's own message, from the SDK error or its body. */
function providerMessageOf(failure: ProviderFailure, body: unknown): string | undefined {
  const nested = (body as { error?: unknown } | undefined)?.error
  if (typeof nested === "string") return nested
  const message = (nested as { message?: unknown } | undefined)?.message
  if (typeof message === "string") return message
  if (failure.error?.message) return failure.error.message
  return failure.message
}

function reasonOf(status: number | undefined, text: string): ModelErrorReason {
  if (quotaCodes.test(text) || status === 402) return "quota"
  if (status === 401 || status === 403 || authCodes.test(text)) return "auth"
  if (status === 429) return "rate_limit"
  if (status === 529 || status === 503 || overloadedCodes.test(text)) return "overloaded"
  if (contextOverflow.test(text)) return "context_overflow"
  if (contentPolicy.test(text)) return "content_policy"
  if (status === 408) return "transport"
  if (status !== undefined && status >= 500) return "provider_internal"
  if (status !== undefined && status >= 400) return "invalid_request"
  if (/rate_limit/i.test(text)) return "rate_limit"
  if (/api_error|internal|server_error/i.test(text)) return "provider_internal"
  return "transport"
}

/** Turns whatever a provider call threw (or streamed as an error) into one ModelError. */
export function normaliseError(error: unknown, context: ErrorContext): ModelError {
  if (isModelError(error)) return error
  const secrets = context.secrets ?? []
  const base = { provider: context.provider, model: context.model }
  if (context.aborted) return createModelError({ ...base, reason: "aborted" })
  if (context.timedOutAfterMs !== undefined)
    return createModelError({
      ...base,
      reason: "transport",
      providerMessage: `no answer for ${context.timedOutAfterMs} ms (the client's timeout fired)`,
    })
  const failure = (error ?? {}) as ProviderFailure
  const body = failure.data ?? parseBody(failure.responseBody)
  const providerMessage = providerMessageOf(failure, body)
  const status = failure.statusCode
  const codeText = [
    JSON.stringify(body ?? ""),
    failure.type,
    failure.error?.type,
    failure.error?.code,
    providerMessage,
  ].join(" ")
  const transportOnly =
    status === undefined &&
    /fetch failed|socket|ECONNREFUSED|ECONNRESET|terminated|other side closed|network/i.test(
      `${failure.message} ${String((failure.cause as Error | undefined)?.message ?? "")}`,
    )
  const reason = transportOnly ? "transport" : reasonOf(status, codeText)
  const retryAfterMs = retryAfterMsOf(failure.responseHeaders, body)
  return createModelError({
    ...base,
    reason,
    ...(status !== undefined ? { status } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    ...(providerMessage ? { providerMessage: redactSecrets(providerMessage.slice(0, 500), secrets) } : {}),
  })
}
