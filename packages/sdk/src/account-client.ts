import type {
  ApiKey,
  ApiKeyScope,
  AuditEntry,
  LoginSession,
  Me,
  Page,
  PendingInvitation,
  TeamRole,
  UpdatePreferencesBody,
  User,
  UserPreferences,
} from "@xionimus/protocol"
import {
  AccountDeletion,
  ApiKeyList,
  AuditPage,
  CreatedApiKey,
  Invitation,
  LoginSessionList,
  Me as MeSchema,
  PendingInvitationPage,
  RecoveryCodes,
  RotatedApiKey,
  Team,
  TeamList,
  TeamMemberPage,
  TotpEnrolment,
  UserPage,
  UserPreferences as UserPreferencesSchema,
} from "@xionimus/protocol"
import type { CallOptions, ClientOptions } from "./client.ts"
import { createHttp } from "./http.ts"

export interface AuditFilter {
  /** Exact action, e.g. `auth.login`. */
  action?: string
  /** The acting user's id (`usr_…`). */
  actor?: string
  target?: string
  /** Entries at or after this time (ISO 8601). */
  from?: string
  /** Entries before this time (ISO 8601). */
  to?: string
}

export interface AuditListOptions extends AuditFilter, CallOptions {
  /** The previous page's `nextCursor`. */
  cursor?: string
  limit?: number
}

/** One page of a list: at most `limit` rows (1–200, default 50) after `cursor`, the previous page's `nextCursor`. */
export interface PageOptions extends CallOptions {
  limit?: number
  cursor?: string
}

export interface UserPageOptions extends PageOptions {
  /** Only users whose e-mail address or name contains this, in any case. */
  q?: string
}

export type TeamMember = { userId: string; email: string; name: string; role: TeamRole; createdAt: string }

/**
 * The signed-in user's account and security, their teams and invitations, and the audit log
 * (docs/auth.md; /api/auth/*, /api/api-keys, /api/account, /api/teams, /api/invitations, /api/audit).
 */
export interface AccountClient {
  /** Who is signed in, how, and whether two-factor sign-in is on for them. */
  me(options?: CallOptions): Promise<Me>
  /** Changes the display name; answers the updated `me`. */
  updateProfile(input: { name: string }, options?: CallOptions): Promise<Me>
  /** The user's preferences as stored on the server (they follow the user across browsers). */
  preferences(options?: CallOptions): Promise<UserPreferences>
  /** Changes the given fields; `defaultModel` must be one of the user's models (MODEL_NOT_FOUND). */
  setPreferences(input: UpdatePreferencesBody, options?: CallOptions): Promise<UserPreferences>
  /** Ends every other sign-in session of the user; PASSWORD_WEAK, AUTH_INVALID (wrong current password). */
  changePassword(
    input: { currentPassword: string; newPassword: string },
    options?: CallOptions,
  ): Promise<void>
  /** Browser sign-in sessions; `current` marks the one this client uses. */
  sessions(options?: CallOptions): Promise<LoginSession[]>
  endSession(sessionId: string, options?: CallOptions): Promise<void>
  /** Starts two-factor enrolment: the base32 secret and its otpauth:// URI. */
  beginTotp(options?: CallOptions): Promise<{ secret: string; uri: string }>
  /** Turns two-factor on with a current code; answers the recovery codes (shown once). */
  confirmTotp(code: string, options?: CallOptions): Promise<string[]>
  disableTotp(password: string, options?: CallOptions): Promise<void>
  apiKeys(options?: CallOptions): Promise<ApiKey[]>
  /** The secret is in this answer only. */
  createApiKey(
    input: { name: string; scope: ApiKeyScope; expiresInDays?: number },
    options?: CallOptions,
  ): Promise<{ apiKey: ApiKey; secret: string }>
  /** A new key (secret shown once); the old one keeps working for `graceHours`. */
  rotateApiKey(
    keyId: string,
    input?: { graceHours?: number },
    options?: CallOptions,
  ): Promise<{ apiKey: ApiKey; secret: string; previous: ApiKey }>
  revokeApiKey(keyId: string, options?: CallOptions): Promise<void>
  /** URL of the user's data as one JSON download. */
  exportUrl(): string
  deleteAccount(
    input: { password?: string },
    options?: CallOptions,
  ): Promise<{ sessionsDeleted: number; sessionsTransferred: number; projectsDeleted: number }>
  teams(options?: CallOptions): Promise<{ id: string; name: string; createdAt: string; role: TeamRole }[]>
  /** Every member of the team, in the order they joined (follows `nextCursor` to the last page). */
  members(teamId: string, options?: CallOptions): Promise<TeamMember[]>
  /** One page of the team's members, in the order they joined. */
  membersPage(teamId: string, options?: PageOptions): Promise<Page<TeamMember>>
  setRole(teamId: string, userId: string, role: TeamRole, options?: CallOptions): Promise<void>
  removeMember(teamId: string, userId: string, options?: CallOptions): Promise<void>
  /** The token works once, for that e-mail address, until `expiresAt`; `url` is the link to hand over. */
  invite(
    teamId: string,
    input: { email: string; role: TeamRole; expiresInDays: number },
    options?: CallOptions,
  ): Promise<{ token: string; url: string; expiresAt: string }>
  /** The team's invitations not yet accepted or expired, without their tokens (team owners). */
  invitations(teamId: string, options?: CallOptions): Promise<PendingInvitation[]>
  /** One page of them, newest first (team owners). */
  invitationsPage(teamId: string, options?: PageOptions): Promise<Page<PendingInvitation>>
  /** The link stops working; INVITATION_NOT_FOUND when it is no longer pending. */
  revokeInvitation(teamId: string, invitationId: string, options?: CallOptions): Promise<void>
  acceptInvitation(
    token: string,
    options?: CallOptions,
  ): Promise<{ id: string; name: string; createdAt: string }>
  /** Every user of the instance by e-mail address (administrators only; follows `nextCursor` to the last page). */
  users(options?: CallOptions): Promise<User[]>
  /** One page of the users by e-mail address; `q` narrows to an e-mail or name containing it (administrators only). */
  usersPage(options?: UserPageOptions): Promise<Page<User>>
  /** One page of the audit log, newest first (administrators only). */
  audit(options?: AuditListOptions): Promise<{ items: AuditEntry[]; nextCursor: string | null }>
  /** URL of the filtered audit log as NDJSON. */
  auditExportUrl(filter?: AuditFilter): string
}

/** Every row of a paged list, following `nextCursor` from the first page to the last. */
async function allPages<T>(page: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = []
  let cursor: string | undefined
  do {
    const answer = await page(cursor)
    items.push(...answer.items)
    cursor = answer.nextCursor ?? undefined
  } while (cursor !== undefined)
  return items
}

/** The largest page the server answers: the follow-all methods need the fewest requests with it. */
const largestPage = 200

export function createAccountClient(options: ClientOptions): AccountClient {
  const http = createHttp(options)
  const team = (teamId: string) => `/api/teams/${encodeURIComponent(teamId)}`
  const signalOf = (callOptions?: CallOptions) => (callOptions?.signal ? { signal: callOptions.signal } : {})
  const filterQuery = (filter: AuditFilter = {}) => ({
    action: filter.action || undefined,
    actor: filter.actor || undefined,
    target: filter.target || undefined,
    from: filter.from || undefined,
    to: filter.to || undefined,
  })
  const pageQuery = ({ limit, cursor }: PageOptions) => ({ limit, cursor })
  const usersPage = ({ q, signal, ...page }: UserPageOptions = {}) =>
    http.json("/api/users", UserPage, {
      query: { ...pageQuery(page), q: q || undefined },
      ...(signal ? { signal } : {}),
    })
  const membersPage = (teamId: string, { signal, ...page }: PageOptions = {}) =>
    http.json(`${team(teamId)}/members`, TeamMemberPage, {
      query: pageQuery(page),
      ...(signal ? { signal } : {}),
    })
  const invitationsPage = (teamId: string, { signal, ...page }: PageOptions = {}) =>
    http.json(`${team(teamId)}/invitations`, PendingInvitationPage, {
      query: pageQuery(page),
      ...(signal ? { signal } : {}),
    })

  return {
    me: (callOptions) => http.json("/api/auth/me", MeSchema, signalOf(callOptions)),
    updateProfile: (input, callOptions) =>
      http.json("/api/auth/me", MeSchema, { method: "PATCH", body: input, ...signalOf(callOptions) }),
    preferences: (callOptions) =>
      http.json("/api/me/preferences", UserPreferencesSchema, signalOf(callOptions)),
    setPreferences: (input, callOptions) =>
      http.json("/api/me/preferences", UserPreferencesSchema, {
        method: "PUT",
        body: input,
        ...signalOf(callOptions),
      }),
    changePassword: (input, callOptions) =>
      http.empty("/api/auth/password", { method: "POST", body: input, ...signalOf(callOptions) }),
    async sessions(callOptions) {
      return (await http.json("/api/auth/sessions", LoginSessionList, signalOf(callOptions))).items
    },
    endSession: (sessionId, callOptions) =>
      http.empty(`/api/auth/sessions/${encodeURIComponent(sessionId)}`, {
        method: "DELETE",
        ...signalOf(callOptions),
      }),
    beginTotp: (callOptions) =>
      http.json("/api/auth/totp", TotpEnrolment, { method: "POST", ...signalOf(callOptions) }),
    async confirmTotp(code, callOptions) {
      const answer = await http.json("/api/auth/totp/confirm", RecoveryCodes, {
        method: "POST",
        body: { code },
        ...signalOf(callOptions),
      })
      return answer.recoveryCodes
    },
    disableTotp: (password, callOptions) =>
      http.empty("/api/auth/totp", { method: "DELETE", body: { password }, ...signalOf(callOptions) }),
    async apiKeys(callOptions) {
      return (await http.json("/api/api-keys", ApiKeyList, signalOf(callOptions))).items
    },
    createApiKey: (input, callOptions) =>
      http.json("/api/api-keys", CreatedApiKey, { method: "POST", body: input, ...signalOf(callOptions) }),
    rotateApiKey: (keyId, input = {}, callOptions) =>
      http.json(`/api/api-keys/${encodeURIComponent(keyId)}/rotate`, RotatedApiKey, {
        method: "POST",
        body: input,
        ...signalOf(callOptions),
      }),
    revokeApiKey: (keyId, callOptions) =>
      http.empty(`/api/api-keys/${encodeURIComponent(keyId)}`, {
        method: "DELETE",
        ...signalOf(callOptions),
      }),
    exportUrl: () => http.url("/api/account/export"),
    deleteAccount: (input, callOptions) =>
      http.json("/api/account", AccountDeletion, { method: "DELETE", body: input, ...signalOf(callOptions) }),
    async teams(callOptions) {
      return (await http.json("/api/teams", TeamList, signalOf(callOptions))).items
    },
    membersPage,
    members: (teamId, callOptions) =>
      allPages((cursor) =>
        membersPage(teamId, { limit: largestPage, ...(cursor ? { cursor } : {}), ...signalOf(callOptions) }),
      ),
    setRole: (teamId, userId, role, callOptions) =>
      http.empty(`${team(teamId)}/members/${encodeURIComponent(userId)}`, {
        method: "PUT",
        body: { role },
        ...signalOf(callOptions),
      }),
    removeMember: (teamId, userId, callOptions) =>
      http.empty(`${team(teamId)}/members/${encodeURIComponent(userId)}`, {
        method: "DELETE",
        ...signalOf(callOptions),
      }),
    invite: (teamId, input, callOptions) =>
      http.json(`${team(teamId)}/invitations`, Invitation, {
        method: "POST",
        body: input,
        ...signalOf(callOptions),
      }),
    invitationsPage,
    invitations: (teamId, callOptions) =>
      allPages((cursor) =>
        invitationsPage(teamId, {
          limit: largestPage,
          ...(cursor ? { cursor } : {}),
          ...signalOf(callOptions),
        }),
      ),
    revokeInvitation: (teamId, invitationId, callOptions) =>
      http.empty(`${team(teamId)}/invitations/${encodeURIComponent(invitationId)}`, {
        method: "DELETE",
        ...signalOf(callOptions),
      }),
    acceptInvitation: (token, callOptions) =>
      http.json("/api/invitations/accept", Team, {
        method: "POST",
        body: { token },
        ...signalOf(callOptions),
      }),
    usersPage,
    users: (callOptions) =>
      allPages((cursor) =>
        usersPage({ limit: largestPage, ...(cursor ? { cursor } : {}), ...signalOf(callOptions) }),
      ),
    audit: ({ cursor, limit, signal, ...filter } = {}) =>
      http.json("/api/audit", AuditPage, {
        query: { ...filterQuery(filter), cursor, limit },
        ...(signal ? { signal } : {}),
      }),
    auditExportUrl: (filter) => http.url("/api/audit/export", filterQuery(filter)),
  }
}
