import type { Logger } from "@xionimus/kit"
import type {
  NewEvent,
  Page,
  Project,
  ProjectListQuery,
  ProjectSource,
  StoredEvent,
} from "@xionimus/protocol"
import type { AccountPolicyRepository } from "./auth/account-policy-repository.ts"
import type { AccountSettingsRepository } from "./auth/account-settings-repository.ts"
import type { AuthRepository } from "./auth/auth-types.ts"
import type { IdentityRepository } from "./auth/identity-repository.ts"
import type { TeamRepository } from "./auth/team-types.ts"
import type { TotpRepository } from "./auth/totp-repository.ts"
import type { ProviderSettingRepository, UsageRepository } from "./llm/usage-types.ts"
import type { PermissionSettingRepository } from "./sessions/permission-setting-repository.ts"
import type { SessionRepository } from "./sessions/session-types.ts"

export interface ProjectRepository {
  /** Raises PROJECT_NAME_TAKEN when a live (not deleted) project has the same name (case-insensitive). */
  create(input: { id: string; name: string; source: ProjectSource }): Promise<Project>
  /** Deleted projects are returned too; callers decide. */
  get(id: string): Promise<Project | undefined>
  /** Newest first; `cursor` is opaque; `onlyIds` narrows to the projects a user may see. Raises VALIDATION_FAILED for a cursor this store did not write. */
  list(query: ProjectListQuery, options?: { onlyIds?: readonly string[] }): Promise<Page<Project>>
  /** Raises PROJECT_NOT_FOUND, PROJECT_DELETED, PROJECT_NAME_TAKEN. */
  rename(id: string, name: string): Promise<Project>
  /** Soft delete; raises PROJECT_NOT_FOUND, PROJECT_DELETED. */
  softDelete(id: string, purgeAfterDays: number): Promise<Project>
  /** Raises PROJECT_NOT_FOUND, PROJECT_NOT_DELETED, PROJECT_NAME_TAKEN (a live project took the name). */
  restore(id: string): Promise<Project>
  /** Deleted projects whose purgeAfter has passed, the longest overdue first. */
  listPurgeable(now: Date, limit: number): Promise<Project[]>
  /**
   * Removes the row for good (after its workspace is gone), together with the project's activity
   * stream (the events whose stream is the project id) and its sessions (rows, event streams, shares,
   * leases). Purging an unknown id does nothing.
   */
  purge(id: string): Promise<void>
}

/** Same contract as @xionimus/bus EventLog (structural; store may not import bus). */
export interface EventRepository {
  /**
   * Appends events in order, atomically, with gap-free seqs. An event whose id is already stored in
   * the stream is not appended again: its stored copy is returned in its place.
   */
  append(stream: string, events: NewEvent[]): Promise<StoredEvent[]>
  /** Events with seq > after, in seq order, at most `limit`. */
  read(stream: string, options: { after: number; limit: number }): Promise<StoredEvent[]>
  /** The highest seq of the stream, 0 when it is empty. */
  head(stream: string): Promise<number>
}

export interface Store {
  readonly kind: "sqlite" | "postgres"
  readonly projects: ProjectRepository
  readonly events: EventRepository
  /** Users, sign-in sessions, API keys, reset tokens, audit log (packages/auth builds on it). */
  readonly auth: AuthRepository
  /** Teams, roles, project ownership, denies, invitations. */
  readonly teams: TeamRepository
  /** TOTP second factors and recovery codes. */
  readonly totp: TotpRepository
  /** OIDC identities linked to users. */
  readonly identities: IdentityRepository
  /** Model calls with tokens, cost and outcome; totals per scope and day. */
  readonly usage: UsageRepository
  /** Provider settings users and teams store (keys as ciphertext). */
  readonly providerSettings: ProviderSettingRepository
  /** Sessions (list and search view of their event logs), turn leases, share links. */
  readonly sessions: SessionRepository
  /** Permission modes and rules of projects and users. */
  readonly permissionSettings: PermissionSettingRepository
  /** Team settings (IP allow-list, quota overrides), sandbox CPU time, account deletion, stored ciphertexts. */
  readonly accountPolicies: AccountPolicyRepository
  /** Users' preferences (default model, language) and names; teams' pending invitations. */
  readonly accountSettings: AccountSettingsRepository
  /**
   * Applies pending migrations under a lock and returns their names (empty when there were none);
   * raises DB_TOO_NEW, touching nothing, when the database is ahead of the code.
   */
  migrate(): Promise<{ applied: string[] }>
  /** Rejects with DB_UNREACHABLE when the database does not answer. */
  ping(): Promise<void>
  close(): Promise<void>
}

export interface StoreOptions {
  /** postgres://… selects PostgreSQL; otherwise SQLite at `sqlitePath`. */
  databaseUrl?: string
  /** SQLite file; ":memory:" for tests. Its directory is created when missing. */
  sqlitePath?: string
  /** PostgreSQL schema to use (tests create one per run); created when missing. Default "public". */
  schema?: string
  /** Apply pending migrations while opening (default true). `xionimus migrate` passes false. */
  migrate?: boolean
  /** Largest number of PostgreSQL connections (default 10). */
  poolSize?: number
  /** Where connection trouble is reported; default silent. */
  logger?: Logger
  /** The time written into rows (tests pass a fixed clock); default the system clock. */
  clock?: () => Date
}
