import type { ModelCallOutcome, UsageGroupBy, UsageTotals } from "@xionimus/protocol"

/** Who a call is billed to (structurally the same as @xionimus/llm's CallScope). */
export interface UsageScope {
  userId?: string
  teamId?: string
  projectId?: string
  sessionId?: string
}

/** One model call attempt (structurally @xionimus/llm's UsageRecord, which the router emits). */
export interface UsageEntry extends UsageScope {
  time: string
  provider: string
  model: string
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  reasoningTokens: number
  costUsd: number
  latencyMs: number
  outcome: ModelCallOutcome
}

export interface UsageFilter extends UsageScope {
  from?: string
  to?: string
}

export interface UsageRepository {
  /** Stores one call; `id` is generated. */
  record(entry: UsageEntry): Promise<void>
  /** Stores many calls in one statement (the usage buffer's batches). */
  recordMany(entries: UsageEntry[]): Promise<void>
  /** Sums over every call matching the filter (all zero when none does). */
  totals(filter: UsageFilter): Promise<UsageTotals>
  /** Sums per group, the most expensive group first. */
  breakdown(filter: UsageFilter, groupBy: UsageGroupBy): Promise<(UsageTotals & { key: string | null })[]>
}

/** A provider setting as stored; the key stays ciphertext here (the server decrypts it when calling). */
export interface ProviderSettingRecord {
  ownerKind: "user" | "team"
  ownerId: string
  providerId: string
  type: string
  settings: { preset?: string; baseURL?: string; models?: string[]; api?: "responses" | "chat" }
  keyCiphertext: string | null
  keyHint: string | null
  createdAt: string
  updatedAt: string
}

export interface ProviderSettingRepository {
  /** Creates or replaces the setting; `keyCiphertext: undefined` keeps the stored key. */
  put(
    record: Omit<ProviderSettingRecord, "createdAt" | "updatedAt" | "keyCiphertext" | "keyHint"> & {
      key?: { ciphertext: string; hint: string } | null
    },
  ): Promise<ProviderSettingRecord>
  get(
    ownerKind: "user" | "team",
    ownerId: string,
    providerId: string,
  ): Promise<ProviderSettingRecord | undefined>
  list(ownerKind: "user" | "team", ownerId: string): Promise<ProviderSettingRecord[]>
  /** Raises PROVIDER_NOT_FOUND. */
  remove(ownerKind: "user" | "team", ownerId: string, providerId: string): Promise<void>
}
