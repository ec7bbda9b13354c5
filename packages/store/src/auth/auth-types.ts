import type { ApiKey, ApiKeyScope, LoginSession, Page, User } from "@xionimus/protocol"

/** A user as stored, with the password hash (null for accounts that sign in another way). */
export interface UserRecord extends User {
  passwordHash: string | null
}

export interface LoginSessionRecord extends Omit<LoginSession, "current"> {
  userId: string
  csrfToken: string
}

export interface ApiKeyRecord extends ApiKey {}

export interface AuditEntry {
  id: string
  time: string
  /** `domain.verb`: `auth.login`, `api-key.created`, `access.denied`, … */
  action: string
  outcome: "success" | "failure" | "denied"
  actorUserId: string | null
  actorKeyId: string | null
  /** What was acted on: a user, key, project or session id, or an e-mail for failed sign-ins. */
  target: string | null
  ip: string | null
  userAgent: string | null
  details: Record<string, unknown>
}

export interface AuditQuery {
  action?: string
  actorUserId?: string
  target?: string
  /** Entries with an id before this one (newest first paging). */
  before?: string
  /** Entries at or after this time (ISO 8601, UTC). */
  from?: string
  /** Entries before this time (ISO 8601, UTC; exclusive). */
  to?: string
  limit: number
}

export interface UserPageQuery {
  limit: number
  /** The previous page's `nextCursor`. */
  cursor?: string | undefined
  q?: string | undefined
}

/** Users, sign-in sessions, API keys, reset tokens and the audit log. Secrets arrive already hashed. */
export interface AuthRepository {
  countUsers(): Promise<number>
  /** Raises EMAIL_TAKEN. */
  createUser(input: {
    id: string
    email: string
    name: string
    passwordHash: string | null
    admin: boolean
  }): Promise<UserRecord>
  /** Creates the user only when there is none yet (the owner); false when another request was first. */
  createFirstUser(input: {
    id: string
    email: string
    name: string
    passwordHash: string
    admin: true
  }): Promise<boolean>
  getUser(id: string): Promise<UserRecord | undefined>
  findUserByEmail(email: string): Promise<UserRecord | undefined>
  /** Every user, oldest first. */
  listUsers(): Promise<UserRecord[]>
  /**
   * A page of users by e-mail address; `q` keeps those whose e-mail or name contains it in any case.
   * VALIDATION_FAILED for a cursor that is not a `nextCursor` of this list.
   */
  listUsersPage(query: UserPageQuery): Promise<Page<UserRecord>>
  /** Raises USER_NOT_FOUND. */
  setUserDisabled(id: string, disabledAt: string | null): Promise<UserRecord>
  setPasswordHash(id: string, passwordHash: string): Promise<void>

  createSession(
    input: Omit<LoginSessionRecord, "lastSeenAt"> & { tokenHash: string },
  ): Promise<LoginSessionRecord>
  findSession(tokenHash: string): Promise<LoginSessionRecord | undefined>
  touchSession(id: string, lastSeenAt: string): Promise<void>
  listSessions(userId: string): Promise<LoginSessionRecord[]>
  /** Whether a session of this user with this id existed. */
  deleteSession(userId: string, id: string): Promise<boolean>
  /** Deletes every session of the user except `keep`. */
  deleteSessionsOf(userId: string, keep?: string): Promise<void>

  createApiKey(
    input: Omit<ApiKeyRecord, "lastUsedAt" | "revokedAt"> & { secretHash: string },
  ): Promise<ApiKeyRecord>
  findApiKey(secretHash: string): Promise<ApiKeyRecord | undefined>
  getApiKey(id: string): Promise<ApiKeyRecord | undefined>
  listApiKeys(userId?: string): Promise<ApiKeyRecord[]>
  /** Raises API_KEY_NOT_FOUND; revoking twice keeps the first time. */
  revokeApiKey(id: string, revokedAt: string): Promise<ApiKeyRecord>
  touchApiKey(id: string, lastUsedAt: string): Promise<void>
  /** Sets the key's expiry (rotation: the old key ends after a grace period). */
  setApiKeyExpiry(id: string, expiresAt: string): Promise<void>

  createReset(input: {
    tokenHash: string
    userId: string
    createdBy: string
    createdAt: string
    expiresAt: string
  }): Promise<void>
  /** Marks the token used and returns its user, atomically; undefined when unknown, used or expired. */
  takeReset(tokenHash: string, now: string): Promise<string | undefined>

  appendAudit(entry: AuditEntry): Promise<void>
  /** Newest first. */
  listAudit(query: AuditQuery): Promise<Page<AuditEntry>>
}

export type { ApiKeyScope }
