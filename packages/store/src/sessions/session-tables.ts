import type { ColumnType, Kysely } from "kysely"

/** The tables of migration 0005_sessions, as Kysely sees them (times are ISO-8601 text, see database.ts). */
export interface SessionTables {
  session: {
    id: string
    project_id: string
    title: string
    /** The title in NFC, lower-cased (what `q` compares). */
    title_key: string
    /** JSON array of the tags as given. */
    tags: ColumnType<unknown, string, string>
    /** `|tag|tag|`, each tag in NFC and lower case: the `tag` filter is a LIKE on it. */
    tags_text: string
    /** 0 or 1 (both databases). */
    pinned: number
    archived_at: string | null
    run_state: string
    model: string | null
    forked_from_session: string | null
    forked_from_seq: number | null
    /** bigint on PostgreSQL (read back as text): every count goes through Number(). */
    input_tokens: ColumnType<number | string, number, number>
    output_tokens: ColumnType<number | string, number, number>
    cached_input_tokens: ColumnType<number | string, number, number>
    cost_usd: number
    /** Message text in NFC, lower case, appended by indexText (what `q` searches besides the title). */
    search_text: string
    created_by: string | null
    created_at: string
    updated_at: string
  }
  session_lease: {
    session_id: string
    turn_id: string
    node_id: string
    expires_at: string
  }
  session_share: {
    id: string
    session_id: string
    token_hash: string
    created_by: string | null
    created_at: string
    expires_at: string
    revoked_at: string | null
  }
  permission_setting: {
    /** "project" or "user". */
    scope: string
    owner_id: string
    mode: string | null
    /** JSON array of PermissionRule. */
    rules: ColumnType<unknown, string, string>
    updated_at: string
  }
  event: { stream: string }
  event_stream: { stream: string }
}

export type SessionDb = Kysely<SessionTables>
