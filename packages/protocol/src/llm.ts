import { z } from "zod"

/** Why a model call failed (the closed set of @xionimus/llm's ModelError reasons), or "ok". */
export const ModelCallOutcome = z.enum([
  "ok",
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
])
export type ModelCallOutcome = z.infer<typeof ModelCallOutcome>

export const UsageTotals = z.object({
  calls: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cachedInputTokens: z.number().int(),
  reasoningTokens: z.number().int(),
  costUsd: z.number().describe("US dollars, from the model catalog's prices"),
})
export type UsageTotals = z.infer<typeof UsageTotals>

export const UsageGroupBy = z.enum([
  "day",
  "provider",
  "model",
  "user",
  "team",
  "project",
  "session",
  "outcome",
])
export type UsageGroupBy = z.infer<typeof UsageGroupBy>

export const UsageQuery = z.strictObject({
  userId: z.string().optional(),
  teamId: z.string().optional(),
  projectId: z.string().optional(),
  sessionId: z.string().optional(),
  from: z.iso.datetime().optional().describe("Inclusive"),
  to: z.iso.datetime().optional().describe("Exclusive"),
  groupBy: UsageGroupBy.optional(),
})
export type UsageQuery = z.infer<typeof UsageQuery>

export const UsageReport = z.object({
  totals: UsageTotals,
  groupBy: UsageGroupBy.optional(),
  groups: z.array(UsageTotals.extend({ key: z.string().nullable() })),
})
export type UsageReport = z.infer<typeof UsageReport>

export const ProviderType = z.enum(["openai", "openai-compatible", "anthropic", "google", "ollama"])

export const ProviderSettingInput = z.strictObject({
  providerId: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, "a lower-case provider id"),
  type: ProviderType,
  preset: z.string().optional(),
  baseURL: z.url().optional(),
  /** Write-only: stored encrypted, never returned. Omit on update to keep the stored key. */
  apiKey: z.string().min(1).max(4096).optional(),
  models: z.array(z.string().min(1)).max(500).optional(),
  api: z.enum(["responses", "chat"]).optional(),
})
export type ProviderSettingInput = z.infer<typeof ProviderSettingInput>

/** A stored provider setting as the API shows it: the key only as its last four characters. */
export const ProviderSetting = ProviderSettingInput.omit({ apiKey: true }).extend({
  ownerKind: z.enum(["user", "team"]),
  ownerId: z.string(),
  keyHint: z.string().nullable().describe("…abcd: the last four characters of the stored key, or null"),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
})
export type ProviderSetting = z.infer<typeof ProviderSetting>

export const ModelInfo = z.object({
  name: z.string().describe("<providerId>/<modelId>"),
  provider: z.string(),
  contextWindow: z.number().int(),
  maxOutputTokens: z.number().int(),
  prices: z.object({ input: z.number(), output: z.number(), cachedInput: z.number() }),
  capabilities: z.object({ tools: z.boolean(), vision: z.boolean(), reasoning: z.boolean() }),
  source: z.enum(["catalog", "override", "defaults"]),
  warning: z.string().optional(),
})
export type ModelInfo = z.infer<typeof ModelInfo>

export const ModelList = z.object({
  catalogCompiled: z.string(),
  models: z.array(ModelInfo),
  /** The configuration's models.default: what a session without a model of its own uses. */
  default: z.string().optional(),
})
export type ModelList = z.infer<typeof ModelList>

export const ConnectionTest = z.object({
  ok: z.boolean(),
  provider: z.string(),
  baseURL: z.string(),
  models: z.array(z.string()).describe("What the endpoint offers (empty when it failed)"),
  latencyMs: z.number(),
  error: z.object({ reason: ModelCallOutcome, message: z.string() }).optional(),
})
export type ConnectionTest = z.infer<typeof ConnectionTest>
