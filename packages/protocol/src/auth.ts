import { z } from "zod"
import { PageQuery, pageOf } from "./pagination.ts"

const idOf = (prefix: string, label: string) =>
  z.string().regex(new RegExp(`^${prefix}_[0-9a-f]{14}[0-9A-Za-z]{12}$`), label)

export const UserId = idOf("usr", "a user id (usr_…)")
export const LoginSessionId = idOf("lgn", "a sign-in session id (lgn_…)")
export const ApiKeyId = idOf("key", "an API key id (key_…)")

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: "an e-mail address" }))

/** Length only; the strength rules (docs/auth.md) are checked by the server with a clear message. */
export const Password = z.string().min(1).max(256)

export const User = z.object({
  id: UserId,
  email: z.string(),
  name: z.string(),
  /** Instance administrator: manages users and keys. The first user (the owner) is one. */
  admin: z.boolean(),
  disabledAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
})
export type User = z.infer<typeof User>

/** `GET /api/users`: a page of users by e-mail address. */
export const UserListQuery = PageQuery.extend({
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .describe("Case-insensitive substring of the e-mail address or name"),
})
export type UserListQuery = z.infer<typeof UserListQuery>
export const UserPage = pageOf(User)

export const ApiKeyScope = z.enum(["read", "write", "admin"])
export type ApiKeyScope = z.infer<typeof ApiKeyScope>

/** How the current request is authenticated. */
export const Principal = z.object({
  user: User,
  via: z.enum(["session", "api-key"]),
  /** The key's scope, or "admin"/"write" for a browser session of an admin/other user. */
  scope: ApiKeyScope,
})
export type Principal = z.infer<typeof Principal>

export const AuthStatus = z.object({
  /** No owner exists yet: the first-run form is shown. */
  setupRequired: z.boolean(),
  /** Whether this request may create the owner without a setup token (it comes from the machine itself). */
  setupFromHere: z.boolean(),
  principal: Principal.nullable(),
})
export type AuthStatus = z.infer<typeof AuthStatus>

export const SetupBody = z.strictObject({
  email: Email,
  name: z.string().trim().min(1).max(100).optional(),
  password: Password,
  /** The one-time token printed in the server log; needed when not connecting from the machine itself. */
  setupToken: z.string().min(1).max(200).optional(),
})

export const LoginBody = z.strictObject({
  email: Email,
  password: Password,
  /** With two-factor sign-in on: the authenticator's current code, or a recovery code. */
  code: z.string().trim().min(1).max(20).optional(),
})

export const ChangePasswordBody = z.strictObject({ currentPassword: Password, newPassword: Password })

export const ResetPasswordBody = z.strictObject({ token: z.string().min(1).max(200), newPassword: Password })

export const LoginSession = z.object({
  id: LoginSessionId,
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  /** The session this request is made with. */
  current: z.boolean(),
})
export type LoginSession = z.infer<typeof LoginSession>
export const LoginSessionList = z.object({ items: z.array(LoginSession) })
export const LoginSessionParams = z.strictObject({ sessionId: LoginSessionId })

export const CreateUserBody = z.strictObject({
  email: Email,
  name: z.string().trim().min(1).max(100).optional(),
  password: Password,
  admin: z.boolean().default(false),
})
export const UserParams = z.strictObject({ userId: UserId })

export const ResetLink = z.object({
  /** The token to hand to the user (inside `url`); valid once, until `expiresAt`. */
  token: z.string(),
  url: z.string(),
  expiresAt: z.iso.datetime(),
})

export const ApiKey = z.object({
  id: ApiKeyId,
  userId: UserId,
  name: z.string(),
  scope: ApiKeyScope,
  /** The first characters of the key, to recognise it (`xk_AbCd…`). */
  prefix: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
})
export type ApiKey = z.infer<typeof ApiKey>
export const ApiKeyList = z.object({ items: z.array(ApiKey) })
export const ApiKeyParams = z.strictObject({ keyId: ApiKeyId })

export const CreateApiKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(100).default("API key"),
  scope: ApiKeyScope,
  expiresInDays: z.number().int().min(1).max(3650).optional(),
})

/** The key itself appears here only, once. */
export const CreatedApiKey = z.object({ apiKey: ApiKey, secret: z.string() })

export const AuditEntry = z.object({
  id: z.string(),
  time: z.iso.datetime(),
  /** `auth.login`, `auth.setup`, `api-key.created`, `access.denied`, … (docs/auth.md lists them). */
  action: z.string(),
  outcome: z.enum(["success", "failure", "denied"]),
  actorUserId: z.string().nullable(),
  /** True when the acting user's account was deleted since (the entry stays). */
  actorDeleted: z.boolean().optional(),
  actorKeyId: z.string().nullable(),
  target: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
})
export type AuditEntry = z.infer<typeof AuditEntry>
export const AuditPage = z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() })

export const AuditQuery = z.strictObject({
  action: z.string().max(100).optional(),
  actor: UserId.optional(),
  target: z.string().max(200).optional(),
  /** Entries at or after this time (ISO 8601). */
  from: z.iso.datetime({ offset: true }).optional(),
  /** Entries before this time (ISO 8601; exclusive). */
  to: z.iso.datetime({ offset: true }).optional(),
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
})

export const TeamId = idOf("tem", "a team id (tem_…)")
export const TeamRole = z.enum(["owner", "editor", "commenter", "viewer"])
export type TeamRole = z.infer<typeof TeamRole>

export const Team = z.object({ id: TeamId, name: z.string(), createdAt: z.iso.datetime() })
export const TeamWithRole = Team.extend({ role: TeamRole })
export const TeamList = z.object({ items: z.array(TeamWithRole) })
export const TeamParams = z.strictObject({ teamId: TeamId })
export const CreateTeamBody = z.strictObject({ name: z.string().trim().min(1).max(100) })

export const TeamMember = z.object({
  userId: UserId,
  email: z.string(),
  name: z.string(),
  role: TeamRole,
  createdAt: z.iso.datetime(),
})
/** `GET /api/teams/:teamId/members`: a page of members in the order they joined. */
export const TeamMemberPage = pageOf(TeamMember)
export const TeamMemberParams = z.strictObject({ teamId: TeamId, userId: UserId })
export const SetRoleBody = z.strictObject({ role: TeamRole })

export const CreateInvitationBody = z.strictObject({
  email: Email,
  role: TeamRole.default("editor"),
  expiresInDays: z.number().int().min(1).max(30).default(7),
})
export const Invitation = z.object({
  /** Hand this to the invitee (inside `url`); valid once, until `expiresAt`, for that e-mail only. */
  token: z.string(),
  url: z.string(),
  expiresAt: z.iso.datetime(),
})
export const AcceptInvitationBody = z.strictObject({ token: z.string().min(1).max(200) })

export const ProjectMemberParams = z.strictObject({
  projectId: z.string().regex(/^prj_[0-9a-f]{14}[0-9A-Za-z]{12}$/, "a project id (prj_…)"),
  userId: UserId,
})

export const TotpEnrolment = z.object({
  /** Base32, for typing into an authenticator by hand. */
  secret: z.string(),
  /** otpauth://totp/… for a QR code. */
  uri: z.string(),
})
export const ConfirmTotpBody = z.strictObject({ code: z.string().trim().min(1).max(20) })
export const RecoveryCodes = z.object({
  /** One-time codes for when the authenticator is lost; shown only in this answer. */
  recoveryCodes: z.array(z.string()),
})
export const DisableTotpBody = z.strictObject({ password: Password })

export const TeamPolicy = z.strictObject({
  /** Members must have two-factor sign-in on to reach the team's projects. */
  requireTwoFactor: z.boolean().optional(),
  /** A deleted member's agent sessions: deleted (default) or handed to a team owner. */
  deletedMemberSessions: z.enum(["delete", "transfer"]).optional(),
})

/** The OpenID Connect providers one may sign in with. */
export const OidcProviderList = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) })
