import type { ApiKey, ApiKeyScope, LoginSession, Page, User } from "@xionimus/protocol"
import type { AuditEntry, AuditQuery } from "@xionimus/store"
import type { OidcIdentity } from "./oidc-login.ts"

/** Where a request came from, for sessions and the audit log. */
export interface RequestMeta {
  ip: string | null
  userAgent: string | null
}

/** Who acts: a signed-in user (by session or key), or nobody (anonymous, the CLI operator). */
export interface Actor extends RequestMeta {
  userId: string | null
  keyId: string | null
}

/** The identity behind an authenticated request. */
export interface Authenticated {
  user: User
  via: "session" | "api-key"
  /** A key's scope; for a browser session "admin" (instance admins) or "write". */
  scope: ApiKeyScope
  sessionId: string | null
  keyId: string | null
  /** The session's CSRF token (double-submit), null for API keys. */
  csrfToken: string | null
}

/** A fresh browser session: the token goes into the httpOnly cookie, the CSRF token into a readable one. */
export interface IssuedSession {
  user: User
  session: Omit<LoginSession, "current">
  token: string
  csrfToken: string
}

export interface AuthService {
  /** True until the first user (the owner) exists. */
  setupRequired(): Promise<boolean>
  /** Creates the owner (instance admin) and signs them in; SETUP_DONE when one exists already. */
  setupOwner(
    input: { email: string; name?: string; password: string },
    meta: RequestMeta,
  ): Promise<IssuedSession>
  /** AUTH_INVALID for a wrong e-mail or password or a disabled account; ACCOUNT_LOCKED while throttled. */
  /** With the second factor on, `code` is needed: TOTP_REQUIRED without it, AUTH_INVALID when wrong. */
  login(input: { email: string; password: string; code?: string }, meta: RequestMeta): Promise<IssuedSession>
  /**
   * Signs in with an identity from an OIDC provider (linked, or linked now by its verified e-mail);
   * OIDC_NO_ACCOUNT when no account matches: sign-up stays invite-only.
   */
  loginWithIdentity(identity: OidcIdentity, meta: RequestMeta): Promise<IssuedSession>
  /** AUTH_INVALID when the token is unknown, expired, or its user disabled. */
  authenticateSession(token: string): Promise<Authenticated>
  /** AUTH_INVALID when the key is unknown, revoked, expired, or its user disabled. */
  authenticateApiKey(secret: string): Promise<Authenticated>
  logout(who: Authenticated, meta: RequestMeta): Promise<void>
  listSessions(userId: string): Promise<Omit<LoginSession, "current">[]>
  /** LOGIN_SESSION_NOT_FOUND when the user has no such session (another user's id included). */
  revokeSession(who: Authenticated, sessionId: string, meta: RequestMeta): Promise<void>
  /** Whether the password is the user's (for confirming sensitive changes). */
  checkPassword(userId: string, password: string): Promise<boolean>
  /** Checks the current password; ends every other session of the user. */
  changePassword(
    who: Authenticated,
    input: { currentPassword: string; newPassword: string },
    meta: RequestMeta,
  ): Promise<void>
  createUser(
    input: { email: string; name?: string; password: string; admin: boolean },
    actor: Actor,
  ): Promise<User>
  /** Every user, oldest first (for checks over all of them; a client lists them with listUsersPage). */
  listUsers(): Promise<User[]>
  /**
   * A page of users by e-mail address; `q` keeps those whose e-mail or name contains it in any case.
   * VALIDATION_FAILED for a cursor that is not a `nextCursor` of this list.
   */
  listUsersPage(query: {
    limit: number
    cursor?: string | undefined
    q?: string | undefined
  }): Promise<Page<User>>
  getUser(id: string): Promise<User>
  findUserByEmail(email: string): Promise<User>
  /** Disabling also ends the user's sessions; their keys stop working while disabled. */
  setUserDisabled(id: string, disabled: boolean, actor: Actor): Promise<User>
  /** A one-time reset token for the user (valid for resetHours). */
  createResetToken(userId: string, actor: Actor): Promise<{ token: string; expiresAt: string }>
  /** Sets a new password with a reset token and ends all the user's sessions. */
  resetPassword(input: { token: string; newPassword: string }, meta: RequestMeta): Promise<void>
  /** FORBIDDEN when asking for admin scope for a user who is not an admin. */
  createApiKey(
    input: { userId: string; name: string; scope: ApiKeyScope; expiresInDays?: number },
    actor: Actor,
  ): Promise<{ apiKey: ApiKey; secret: string }>
  listApiKeys(userId?: string): Promise<ApiKey[]>
  getApiKey(id: string): Promise<ApiKey>
  revokeApiKey(id: string, actor: Actor): Promise<ApiKey>
  /**
   * A new key with the old one's name, scope and expiry; the old key keeps working for `graceHours`, then
   * is refused. API_KEY_NOT_FOUND for a revoked or expired key (create a new one instead).
   */
  rotateApiKey(
    id: string,
    graceHours: number,
    actor: Actor,
  ): Promise<{ apiKey: ApiKey; secret: string; previous: ApiKey }>
  /** Appends to the audit log; never throws (a failure is logged by the caller's logger). */
  audit(entry: Omit<AuditEntry, "id" | "time">): Promise<void>
  listAudit(query: AuditQuery): Promise<Page<AuditEntry>>
}
