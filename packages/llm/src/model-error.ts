import { AppError } from "@xionimus/kit"

/** Why a model call failed, as one closed set over every provider. */
export const modelErrorReasons = [
  "rate_limit",
  "overloaded",
  "auth",
  "quota",
  "context_overflow",
  "content_policy",
  "invalid_request",
  "provider_internal",
  "transport",
  "aborted",
] as const
export type ModelErrorReason = (typeof modelErrorReasons)[number]

/** Reasons worth trying again (same model after a pause, or the next model of a fallback chain). */
export const retryableReasons: ReadonlySet<ModelErrorReason> = new Set([
  "rate_limit",
  "overloaded",
  "provider_internal",
  "transport",
])

export interface ModelErrorDetails {
  reason: ModelErrorReason
  retryable: boolean
  /** How long the provider asked us to wait, from its headers or body. */
  retryAfterMs?: number
  provider: string
  model: string
  /** The HTTP status the provider answered with, when it answered. */
  status?: number
  /** The provider's own words (secrets removed). */
  providerMessage?: string
}

/** The one error of a failed model call (code MODEL_CALL_FAILED); `details.reason` says why. */
export class ModelError extends AppError {
  declare readonly details: ModelErrorDetails

  constructor(message: string, details: ModelErrorDetails) {
    super("MODEL_CALL_FAILED", message, details)
    this.name = "ModelError"
  }

  get reason(): ModelErrorReason {
    return this.details.reason
  }

  get retryable(): boolean {
    return this.details.retryable
  }

  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs
  }
}

export function isModelError(value: unknown): value is ModelError {
  return value instanceof ModelError
}

const advice: Record<ModelErrorReason, string> = {
  rate_limit:
    "is rate-limiting requests; wait a moment, lower the request rate or raise the limit with the provider",
  overloaded: "is overloaded; try again shortly or configure a fallback model",
  auth: "rejected the API key; check the key in the provider settings (or its environment variable) and that it may use this model",
  quota: "says the account is out of credit or quota; add credit or raise the quota with the provider",
  context_overflow:
    "cannot take a prompt this long; compact the conversation or choose a model with a larger context window",
  content_policy: "refused the request under its content policy; rephrase the request",
  invalid_request: "rejected the request as invalid; check the model id and the provider's base URL",
  provider_internal:
    "failed on its side; try again, and if it keeps failing check the provider's status page",
  transport:
    "could not be reached or stopped answering; check the base URL, the network and that the server runs",
  aborted: "call was cancelled",
}

/** The message a person sees: provider, model, what happened and what to do. */
export function modelErrorMessage(details: Omit<ModelErrorDetails, "retryable">): string {
  const subject =
    details.reason === "aborted"
      ? `The ${details.provider}/${details.model} call was cancelled.`
      : `${details.provider}${details.model ? ` (model ${details.model})` : ""} ${advice[details.reason]}.`
  const said = details.providerMessage ? ` The provider said: ${details.providerMessage}` : ""
  return `${subject}${said}`
}

export function createModelError(
  details: Omit<ModelErrorDetails, "retryable"> & { retryable?: boolean },
): ModelError {
  const full: ModelErrorDetails = {
    ...details,
    retryable: details.retryable ?? retryableReasons.has(details.reason),
  }
  return new ModelError(modelErrorMessage(full), full)
}
