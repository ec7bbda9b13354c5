import { z } from "zod"

/** What Xionimus knows about one model; prices are US dollars per million tokens. */
export const CatalogEntry = z.strictObject({
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive(),
  prices: z.strictObject({
    input: z.number().min(0),
    output: z.number().min(0),
    cachedInput: z.number().min(0),
  }),
  capabilities: z.strictObject({
    tools: z.boolean(),
    vision: z.boolean(),
    reasoning: z.boolean(),
  }),
  /** Tokenizer family used to count prompt tokens before a call. */
  tokenizer: z.enum(["o200k", "cl100k", "estimate"]),
})
export type CatalogEntry = z.infer<typeof CatalogEntry>

/** A user override: any subset of an entry's fields (config `models.<provider/model>`). */
export const CatalogOverride = z.strictObject({
  contextWindow: z.number().int().positive().optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  prices: CatalogEntry.shape.prices.partial().optional(),
  capabilities: CatalogEntry.shape.capabilities.partial().optional(),
  tokenizer: CatalogEntry.shape.tokenizer.optional(),
})
export type CatalogOverride = z.infer<typeof CatalogOverride>
