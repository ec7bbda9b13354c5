import type { ModelErrorReason } from "./model-error.ts"

/** Who a call is billed to; every field optional (a CLI test has no session). */
export interface CallScope {
  userId?: string
  teamId?: string
  projectId?: string
  sessionId?: string
}

/** One model call as the usage ledger stores it. */
export interface UsageRecord extends CallScope {
  /** When the call started (ISO-8601). */
  time: string
  provider: string
  model: string
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  reasoningTokens: number
  /** US dollars, from the catalog's prices. */
  costUsd: number
  latencyMs: number
  /** "ok", or the reason it failed. */
  outcome: "ok" | ModelErrorReason
}

export interface UsageTotals {
  calls: number
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  reasoningTokens: number
  costUsd: number
}

export interface UsageFilter extends CallScope {
  /** Inclusive lower bound (ISO-8601). */
  from?: string
  /** Exclusive upper bound (ISO-8601). */
  to?: string
}

/** Where calls are recorded and summed (the store implements it; the router and budget check use it). */
export interface UsageLedger {
  record(record: UsageRecord): Promise<void>
  totals(filter: UsageFilter): Promise<UsageTotals>
}
