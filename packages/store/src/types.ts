import type {
  NewEvent,
  Page,
  Project,
  ProjectListQuery,
  ProjectSource,
  StoredEvent,
} from "@xionimus/protocol"

export interface ProjectRepository {
  /** Raises PROJECT_NAME_TAKEN when a live (not deleted) project has the same name (case-insensitive). */
  create(input: { id: string; name: string; source: ProjectSource }): Promise<Project>
  /** Deleted projects are returned too; callers decide. */
  get(id: string): Promise<Project | undefined>
  /** Newest first; `cursor` is opaque. */
  list(query: ProjectListQuery): Promise<Page<Project>>
  /** Raises PROJECT_NOT_FOUND, PROJECT_DELETED, PROJECT_NAME_TAKEN. */
  rename(id: string, name: string): Promise<Project>
  /** Soft delete; raises PROJECT_NOT_FOUND, PROJECT_DELETED. */
  softDelete(id: string, purgeAfterDays: number): Promise<Project>
  /** Raises PROJECT_NOT_FOUND, PROJECT_NOT_DELETED, PROJECT_NAME_TAKEN (a live project took the name). */
  restore(id: string): Promise<Project>
  /** Deleted projects whose purgeAfter has passed. */
  listPurgeable(now: Date, limit: number): Promise<Project[]>
  /** Removes the row for good (after its workspace is gone). */
  purge(id: string): Promise<void>
}

/** Same contract as @xionimus/bus EventLog (structural; store may not import bus). */
export interface EventRepository {
  append(stream: string, events: NewEvent[]): Promise<StoredEvent[]>
  read(stream: string, options: { after: number; limit: number }): Promise<StoredEvent[]>
  head(stream: string): Promise<number>
}

export interface Store {
  readonly kind: "sqlite" | "postgres"
  readonly projects: ProjectRepository
  readonly events: EventRepository
  /** Applies pending migrations under a lock; raises DB_TOO_NEW when the database is ahead of the code. */
  migrate(): Promise<{ applied: string[] }>
  /** Rejects with DB_UNREACHABLE when the database does not answer. */
  ping(): Promise<void>
  close(): Promise<void>
}

export interface StoreOptions {
  /** postgres://… selects PostgreSQL; otherwise SQLite at `sqlitePath`. */
  databaseUrl?: string
  /** SQLite file; ":memory:" for tests. */
  sqlitePath?: string
  /** PostgreSQL schema to use (tests create one per run). */
  schema?: string
}
