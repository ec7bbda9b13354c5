import type { ColumnType, Kysely } from "kysely"

/**
 * The tables as Kysely sees them. Times are ISO-8601 strings (UTC, milliseconds, `Z`) on both
 * databases, so they compare and sort as text and round-trip without time-zone surprises.
 * JSON columns are written as JSON text; PostgreSQL (`json`) hands them back parsed, SQLite
 * (`text`) as text: `JsonCodec.decode` evens that out.
 */
export interface ProjectTable {
  id: string
  name: string
  /** `nameKey(name)`: the case-folded name behind the unique index among live projects. */
  name_key: string
  source: ColumnType<unknown, string, string>
  created_at: string
  updated_at: string
  deleted_at: string | null
  purge_after: string | null
}

export interface EventTable {
  stream: string
  seq: number
  id: string
  type: string
  data: ColumnType<unknown, string, never>
  time: string
}

/** One row per stream: the last seq handed out, bumped in the appending transaction. */
export interface EventStreamTable {
  stream: string
  head: number
}

export interface Database {
  project: ProjectTable
  event: EventTable
  event_stream: EventStreamTable
}

export type DatabaseKind = "sqlite" | "postgres"

export type Db = Kysely<Database>

export interface JsonCodec {
  /** Turns a value read from a JSON column into the stored value. */
  decode(raw: unknown): unknown
}

export function jsonCodec(kind: DatabaseKind): JsonCodec {
  return kind === "postgres"
    ? { decode: (raw) => raw }
    : { decode: (raw) => (typeof raw === "string" ? JSON.parse(raw) : raw) }
}

/** JSON text of a value; what JSON cannot hold (`undefined`, a function) is stored as `null`. */
export function toJson(value: unknown): string {
  return JSON.stringify(value) ?? "null"
}
