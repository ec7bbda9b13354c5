import type { CatalogEntry } from "./catalog-entry.ts"
import { createModelError } from "./model-error.ts"
import type { ModelRequest } from "./model-types.ts"
import { splitModelName } from "./provider-registry.ts"
import type { TokenCounter } from "./token-counter.ts"

/** The numbers the agent needs to decide when to compact. */
export interface ContextBudget {
  promptTokens: number
  contextWindow: number
  /** Tokens kept free for the answer: the request's maxOutputTokens or the model's maximum. */
  reservedForOutput: number
  /** How many more prompt tokens fit (negative when over). */
  remaining: number
  fits: boolean
}

export async function measureContext(
  request: ModelRequest,
  entry: CatalogEntry,
  counter: TokenCounter,
): Promise<ContextBudget> {
  const promptTokens = await counter.countRequest(request, entry.tokenizer)
  const reservedForOutput = Math.min(request.maxOutputTokens ?? entry.maxOutputTokens, entry.maxOutputTokens)
  const remaining = entry.contextWindow - reservedForOutput - promptTokens
  return {
    promptTokens,
    contextWindow: entry.contextWindow,
    reservedForOutput,
    remaining,
    fits: remaining >= 0,
  }
}

/**
 * Drops the oldest messages until the prompt fits, never splitting a tool call from its result and
 * always keeping the last user message; refuses (context_overflow, before any call) when even that
 * does not fit. Returns the request to send and how many messages were dropped.
 */
export async function fitToWindow(
  request: ModelRequest,
  entry: CatalogEntry,
  counter: TokenCounter,
): Promise<{ request: ModelRequest; dropped: number; budget: ContextBudget }> {
  let messages = request.messages
  let budget = await measureContext(request, entry, counter)
  while (!budget.fits) {
    // Cut at the next user message so no tool result loses its call.
    const next = messages.findIndex((message, index) => index > 0 && message.role === "user")
    if (next <= 0) {
      const { providerId, modelId } = splitModelName(request.model)
      throw createModelError({
        provider: providerId,
        model: modelId,
        reason: "context_overflow",
        providerMessage: `the prompt needs about ${budget.promptTokens} tokens and ${budget.reservedForOutput} are kept for the answer, but the window holds ${budget.contextWindow} (counted before sending)`,
      })
    }
    messages = messages.slice(next)
    budget = await measureContext({ ...request, messages }, entry, counter)
  }
  return { request: { ...request, messages }, dropped: request.messages.length - messages.length, budget }
}
