import type { ColumnType, Kysely } from "kysely"

/** The tables of migration 0004_usage, as Kysely sees them (times are ISO-8601 text, see database.ts). */
export interface UsageTables {
  model_usage: {
    id: string
    time: string
    /** YYYY-MM-DD (UTC) of `time`, for per-day totals without date functions that differ per database. */
    day: string
    provider: string
    model: string
    user_id: string | null
    team_id: string | null
    project_id: string | null
    session_id: string | null
    input_tokens: number
    output_tokens: number
    cached_input_tokens: number
    reasoning_tokens: number
    cost_usd: number
    latency_ms: number
    outcome: string
  }
  provider_setting: {
    owner_kind: string
    owner_id: string
    provider_id: string
    type: string
    /** JSON: preset, baseURL, models, api. */
    settings: ColumnType<unknown, string, string>
    /** base64(iv ‖ tag ‖ ciphertext), AES-256-GCM; null when no key is stored. */
    key_ciphertext: string | null
    key_hint: string | null
    created_at: string
    updated_at: string
  }
}

export type UsageDb = Kysely<UsageTables>
