import { newId } from "@xionimus/kit"
import type { UsageGroupBy, UsageTotals } from "@xionimus/protocol"
import type { Kysely, SelectQueryBuilder } from "kysely"
import { sql } from "kysely"
import type { UsageDb, UsageTables } from "./usage-tables.ts"
import type { UsageEntry, UsageFilter, UsageRepository } from "./usage-types.ts"

const groupColumns: Record<UsageGroupBy, keyof UsageTables["model_usage"]> = {
  day: "day",
  provider: "provider",
  model: "model",
  user: "user_id",
  team: "team_id",
  project: "project_id",
  session: "session_id",
  outcome: "outcome",
}

// PostgreSQL sums integers as bigint (text in node-postgres): every total goes through Number().
const sums = {
  calls: sql<string | number>`count(*)`.as("calls"),
  inputTokens: sql<string | number>`coalesce(sum(input_tokens), 0)`.as("inputTokens"),
  outputTokens: sql<string | number>`coalesce(sum(output_tokens), 0)`.as("outputTokens"),
  cachedInputTokens: sql<string | number>`coalesce(sum(cached_input_tokens), 0)`.as("cachedInputTokens"),
  reasoningTokens: sql<string | number>`coalesce(sum(reasoning_tokens), 0)`.as("reasoningTokens"),
  costUsd: sql<string | number>`coalesce(sum(cost_usd), 0)`.as("costUsd"),
}

function totalsOf(row: Record<string, unknown> | undefined): UsageTotals {
  const number = (key: string) => Number(row?.[key] ?? 0)
  return {
    calls: number("calls"),
    inputTokens: number("inputTokens"),
    outputTokens: number("outputTokens"),
    cachedInputTokens: number("cachedInputTokens"),
    reasoningTokens: number("reasoningTokens"),
    // Summing floats in a different order per database leaves noise past the micro-dollar.
    costUsd: Math.round(number("costUsd") * 1e9) / 1e9,
  }
}

function filtered<O>(
  query: SelectQueryBuilder<UsageTables, "model_usage", O>,
  filter: UsageFilter,
): SelectQueryBuilder<UsageTables, "model_usage", O> {
  let result = query
  if (filter.userId !== undefined) result = result.where("user_id", "=", filter.userId)
  if (filter.teamId !== undefined) result = result.where("team_id", "=", filter.teamId)
  if (filter.projectId !== undefined) result = result.where("project_id", "=", filter.projectId)
  if (filter.sessionId !== undefined) result = result.where("session_id", "=", filter.sessionId)
  if (filter.from !== undefined) result = result.where("time", ">=", filter.from)
  if (filter.to !== undefined) result = result.where("time", "<", filter.to)
  return result
}

export function createUsageRepository(deps: {
  // biome-ignore lint/suspicious/noExplicitAny: the store's Kysely instance spans every package's tables
  db: Kysely<any>
}): UsageRepository {
  const db = deps.db as UsageDb
  const rowOf = (entry: UsageEntry) => ({
    id: newId("use"),
    time: entry.time,
    day: entry.time.slice(0, 10),
    provider: entry.provider,
    model: entry.model,
    user_id: entry.userId ?? null,
    team_id: entry.teamId ?? null,
    project_id: entry.projectId ?? null,
    session_id: entry.sessionId ?? null,
    input_tokens: entry.inputTokens,
    output_tokens: entry.outputTokens,
    cached_input_tokens: entry.cachedInputTokens,
    reasoning_tokens: entry.reasoningTokens,
    cost_usd: entry.costUsd,
    latency_ms: Math.round(entry.latencyMs),
    outcome: entry.outcome,
  })
  return {
    async record(entry) {
      await db.insertInto("model_usage").values(rowOf(entry)).execute()
    },
    async recordMany(entries) {
      if (entries.length === 0) return
      // Several statements keep each under SQLite's bound-parameter limit (16 columns a row).
      for (let start = 0; start < entries.length; start += 500)
        await db
          .insertInto("model_usage")
          .values(entries.slice(start, start + 500).map(rowOf))
          .execute()
    },
    async totals(filter) {
      const row = await filtered(
        db.selectFrom("model_usage").select(Object.values(sums)),
        filter,
      ).executeTakeFirst()
      return totalsOf(row)
    },
    async breakdown(filter, groupBy) {
      // A model is named <provider>/<model>: the same model id under two providers is two models.
      const key =
        groupBy === "model"
          ? sql<string | null>`provider || '/' || model`
          : sql.ref<string | null>(groupColumns[groupBy])
      const columns = groupBy === "model" ? (["provider", "model"] as const) : [groupColumns[groupBy]]
      const rows = await filtered(
        db
          .selectFrom("model_usage")
          .select([key.as("key"), ...Object.values(sums)])
          .groupBy([...columns]),
        filter,
      )
        .orderBy(sql`coalesce(sum(cost_usd), 0)`, "desc")
        .orderBy(key)
        .execute()
      return rows.map((row) => ({ key: row.key ?? null, ...totalsOf(row) }))
    },
  }
}
