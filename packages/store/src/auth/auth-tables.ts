import type { ColumnType, Kysely } from "kysely"

/** The tables of migration 0003_auth, as Kysely sees them (times are ISO-8601 text, see database.ts). */
export interface AuthTables {
  app_user: {
    id: string
    email: string
    name: string
    password_hash: string | null
    /** 0 or 1 (both databases). */
    admin: number
    disabled_at: string | null
    created_at: string
    updated_at: string
  }
  login_session: {
    id: string
    token_hash: string
    csrf_token: string
    user_id: string
    created_at: string
    last_seen_at: string
    expires_at: string
    ip: string | null
    user_agent: string | null
  }
  api_key: {
    id: string
    secret_hash: string
    user_id: string
    name: string
    scope: string
    prefix: string
    created_at: string
    expires_at: string | null
    last_used_at: string | null
    revoked_at: string | null
  }
  password_reset: {
    token_hash: string
    user_id: string
    created_by: string
    created_at: string
    expires_at: string
    used_at: string | null
  }
  audit_entry: {
    id: string
    time: string
    action: string
    outcome: string
    actor_user_id: string | null
    actor_key_id: string | null
    target: string | null
    ip: string | null
    user_agent: string | null
    details: ColumnType<unknown, string, never>
  }
}

export type AuthDb = Kysely<AuthTables>
