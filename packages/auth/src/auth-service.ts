import { AppError, type Logger, newId, silentLogger } from "@xionimus/kit"
import type { User } from "@xionimus/protocol"
import type { AuthRepository, IdentityRepository, UserRecord } from "@xionimus/store"
import { createApiKeyMethods } from "./api-key-methods.ts"
import { loginWithIdentity } from "./identity-login.ts"
import { createLoginThrottle, type LoginThrottle } from "./login-throttle.ts"
import { createPasswordHasher, type PasswordHasher } from "./password-hasher.ts"
import { checkPasswordStrength } from "./password-policy.ts"
import { hashSecret, randomSecret } from "./secrets.ts"
import type { TotpService } from "./totp-service.ts"
import type { Actor, Authenticated, AuthService, IssuedSession, RequestMeta } from "./types.ts"

export interface AuthServiceOptions {
  repository: AuthRepository
  hasher?: PasswordHasher
  /** Failed sign-ins per account (default: pause after 5). */
  throttle?: LoginThrottle
  /** Failed sign-ins per IP address, across accounts (default: pause after 50). */
  addressThrottle?: LoginThrottle
  clock?: () => Date
  logger?: Logger
  /** How long a browser session lasts (default 14 days). */
  sessionDays?: number
  /** How long a reset link is valid (default 24 hours). */
  resetHours?: number
  /** The second factor: when a user has it on, sign-in needs a current code or a recovery code. */
  secondFactor?: Pick<TotpService, "isEnabled" | "verify">
  /** OIDC identities linked to users (sign-in with a provider). */
  identities?: IdentityRepository
  /** Called after a user is created (the owner first): teams give each one a team of their own. */
  onUserCreated?: (user: User, first: boolean) => Promise<void>
  /** Whether the user may sign in from the request's address (teams' IP allow-lists). */
  addressAllowed?: (user: User, meta: RequestMeta) => Promise<boolean>
}

const dayMs = 86_400_000
// last_seen_at is written at most this often, so that authenticating costs no write per request.
const touchEveryMs = 60_000

const invalidLogin = () =>
  new AppError("AUTH_INVALID", "The e-mail address or password is wrong (or the account is disabled).")
const invalidCredential = (what: string) =>
  new AppError("AUTH_INVALID", `The ${what} is not valid: it is unknown, expired or revoked. Sign in again.`)

const by = (actor: Actor) => ({
  actorUserId: actor.userId,
  actorKeyId: actor.keyId,
  ip: actor.ip,
  userAgent: actor.userAgent,
})

const publicUser = ({ passwordHash: _, ...user }: UserRecord): User => user

export function createAuthService(options: AuthServiceOptions): AuthService {
  const { repository } = options
  const hasher = options.hasher ?? createPasswordHasher()
  const throttle = options.throttle ?? createLoginThrottle()
  const addressThrottle = options.addressThrottle ?? createLoginThrottle({ freeFailures: 50 })
  const clock = options.clock ?? (() => new Date())
  const logger = options.logger ?? silentLogger()
  const sessionMs = (options.sessionDays ?? 14) * dayMs
  const resetMs = (options.resetHours ?? 24) * 3_600_000
  const now = () => clock().toISOString()

  async function audit(entry: Parameters<AuthService["audit"]>[0]): Promise<void> {
    try {
      await repository.appendAudit({ ...entry, id: newId("aud"), time: now() })
    } catch (error) {
      logger.error({ err: error, action: entry.action }, "audit entry could not be written")
    }
  }

  const actorOf = (who: Authenticated, meta: RequestMeta): Actor => ({
    userId: who.user.id,
    keyId: who.keyId,
    ...meta,
  })

  async function issueSession(user: UserRecord, meta: RequestMeta): Promise<IssuedSession> {
    const token = randomSecret()
    const csrfToken = randomSecret()
    const createdAt = now()
    const session = await repository.createSession({
      id: newId("lgn"),
      tokenHash: hashSecret(token),
      csrfToken,
      userId: user.id,
      createdAt,
      expiresAt: new Date(clock().getTime() + sessionMs).toISOString(),
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 500) ?? null,
    })
    const { userId: _, csrfToken: __, ...shown } = session
    return { user: publicUser(user), session: shown, token, csrfToken }
  }

  /** IP_NOT_ALLOWED (audited) when a team of the user does not allow sign-in from this address. */
  async function checkAddress(user: UserRecord, meta: RequestMeta, target: string): Promise<void> {
    if (!options.addressAllowed || (await options.addressAllowed(publicUser(user), meta))) return
    await audit({
      action: "auth.login",
      outcome: "denied",
      actorUserId: user.id,
      actorKeyId: null,
      target,
      ...meta,
      details: { reason: "ip-not-allowed" },
    })
    throw new AppError(
      "IP_NOT_ALLOWED",
      `A team of yours only allows sign-in from its listed addresses, and ${meta.ip ?? "this address"} is not one. Sign in from an allowed network or ask a team owner.`,
      { ip: meta.ip },
    )
  }

  async function requireUser(id: string): Promise<UserRecord> {
    const user = await repository.getUser(id)
    if (!user) throw new AppError("USER_NOT_FOUND", `No user ${id}. List users to find the id.`, { id })
    return user
  }

  async function setPassword(user: UserRecord, password: string): Promise<void> {
    checkPasswordStrength(password, { email: user.email })
    await repository.setPasswordHash(user.id, await hasher.hash(password))
  }

  return {
    audit,
    async setupRequired() {
      return (await repository.countUsers()) === 0
    },
    async setupOwner(input, meta) {
      checkPasswordStrength(input.password, { email: input.email })
      const id = newId("usr")
      const passwordHash = await hasher.hash(input.password)
      const created = await repository.createFirstUser({
        id,
        email: input.email,
        name: input.name ?? input.email.split("@")[0]!,
        passwordHash,
        admin: true,
      })
      if (!created) throw new AppError("SETUP_DONE", "The owner exists already. Sign in instead.")
      await options.onUserCreated?.(publicUser(await requireUser(id)), true)
      await audit({
        action: "auth.setup",
        outcome: "success",
        actorUserId: id,
        actorKeyId: null,
        target: id,
        ...meta,
        details: { email: input.email },
      })
      return issueSession(await requireUser(id), meta)
    },
    async loginWithIdentity(identity, meta) {
      if (!options.identities) throw new AppError("NOT_FOUND", "Sign-in with a provider is not set up here.")
      return loginWithIdentity(
        { repository, identities: options.identities, audit, issueSession, now, checkAddress },
        identity,
        meta,
      )
    },
    async login(input, meta) {
      const counters = [
        { throttle, key: input.email },
        ...(meta.ip ? [{ throttle: addressThrottle, key: meta.ip }] : []),
      ]
      try {
        for (const counter of counters) await counter.throttle.check(counter.key)
      } catch (error) {
        await audit({
          action: "auth.login",
          outcome: "denied",
          actorUserId: null,
          actorKeyId: null,
          target: input.email,
          ...meta,
          details: { reason: "locked" },
        })
        throw error
      }
      const user = await repository.findUserByEmail(input.email)
      let valid = false
      if (user?.passwordHash) valid = await hasher.verify(user.passwordHash, input.password)
      else await hasher.waste(input.password)
      if (!user || !valid || user.disabledAt) {
        for (const counter of counters) await counter.throttle.failed(counter.key)
        await audit({
          action: "auth.login",
          outcome: "failure",
          actorUserId: user?.id ?? null,
          actorKeyId: null,
          target: input.email,
          ...meta,
          details: { reason: !user ? "unknown-email" : user.disabledAt ? "disabled" : "wrong-password" },
        })
        throw invalidLogin()
      }
      if (options.secondFactor && (await options.secondFactor.isEnabled(user.id))) {
        const base = {
          action: "auth.login",
          actorUserId: user.id,
          actorKeyId: null,
          target: input.email,
          ...meta,
        }
        if (!input.code) {
          await audit({ ...base, outcome: "failure", details: { reason: "second-factor-required" } })
          throw new AppError(
            "TOTP_REQUIRED",
            "Enter the code from your authenticator app (or a recovery code).",
          )
        }
        if (!(await options.secondFactor.verify(user.id, input.code))) {
          // Wrong codes count like wrong passwords: guessing six digits runs into the lockout.
          for (const counter of counters) await counter.throttle.failed(counter.key)
          await audit({ ...base, outcome: "failure", details: { reason: "wrong-second-factor" } })
          throw new AppError("AUTH_INVALID", "The code is wrong, expired or used already.")
        }
      }
      await throttle.succeeded(input.email)
      await checkAddress(user, meta, input.email)
      const issued = await issueSession(user, meta)
      await audit({
        action: "auth.login",
        outcome: "success",
        actorUserId: user.id,
        actorKeyId: null,
        target: issued.session.id,
        ...meta,
        details: {},
      })
      return issued
    },
    async authenticateSession(token) {
      const session = await repository.findSession(hashSecret(token))
      if (!session || session.expiresAt <= now()) throw invalidCredential("session")
      const user = await repository.getUser(session.userId)
      if (!user || user.disabledAt) throw invalidCredential("session")
      if (clock().getTime() - Date.parse(session.lastSeenAt) > touchEveryMs) {
        await repository.touchSession(session.id, now())
      }
      return {
        user: publicUser(user),
        via: "session",
        scope: user.admin ? "admin" : "write",
        sessionId: session.id,
        keyId: null,
        csrfToken: session.csrfToken,
      }
    },
    async logout(who, meta) {
      if (!who.sessionId) return
      await repository.deleteSession(who.user.id, who.sessionId)
      await audit({
        action: "auth.logout",
        outcome: "success",
        ...by(actorOf(who, meta)),
        target: who.sessionId,
        details: {},
      })
    },
    async listSessions(userId) {
      const sessions = await repository.listSessions(userId)
      const current = now()
      return sessions
        .filter((session) => session.expiresAt > current)
        .map(({ userId: _, csrfToken: __, ...session }) => session)
    },
    async revokeSession(who, sessionId, meta) {
      const deleted = await repository.deleteSession(who.user.id, sessionId)
      if (!deleted) {
        throw new AppError(
          "LOGIN_SESSION_NOT_FOUND",
          `You have no session ${sessionId}. List your sessions.`,
          {
            sessionId,
          },
        )
      }
      await audit({
        action: "session.revoked",
        outcome: "success",
        ...by(actorOf(who, meta)),
        target: sessionId,
        details: {},
      })
    },
    async checkPassword(userId, password) {
      const user = await requireUser(userId)
      return user.passwordHash ? hasher.verify(user.passwordHash, password) : false
    },
    async changePassword(who, input, meta) {
      const user = await requireUser(who.user.id)
      if (!user.passwordHash || !(await hasher.verify(user.passwordHash, input.currentPassword))) {
        await audit({
          action: "auth.password.changed",
          outcome: "failure",
          ...by(actorOf(who, meta)),
          target: user.id,
          details: { reason: "wrong-password" },
        })
        throw new AppError("AUTH_INVALID", "The current password is wrong.")
      }
      await setPassword(user, input.newPassword)
      await repository.deleteSessionsOf(user.id, who.sessionId ?? undefined)
      await audit({
        action: "auth.password.changed",
        outcome: "success",
        ...by(actorOf(who, meta)),
        target: user.id,
        details: {},
      })
    },
    async createUser(input, actor) {
      checkPasswordStrength(input.password, { email: input.email })
      const first = (await repository.countUsers()) === 0
      const user = await repository.createUser({
        id: newId("usr"),
        email: input.email,
        name: input.name ?? input.email.split("@")[0]!,
        passwordHash: await hasher.hash(input.password),
        admin: input.admin,
      })
      await audit({
        action: "user.created",
        outcome: "success",
        ...by(actor),
        target: user.id,
        details: { email: user.email, admin: user.admin },
      })
      await options.onUserCreated?.(publicUser(user), first)
      return publicUser(user)
    },
    async listUsers() {
      return (await repository.listUsers()).map(publicUser)
    },
    async listUsersPage(query) {
      const page = await repository.listUsersPage(query)
      return { items: page.items.map(publicUser), nextCursor: page.nextCursor }
    },
    async getUser(id) {
      return publicUser(await requireUser(id))
    },
    async findUserByEmail(email) {
      const user = await repository.findUserByEmail(email.trim().toLowerCase())
      if (!user) throw new AppError("USER_NOT_FOUND", `No user with the e-mail address ${email}.`, { email })
      return publicUser(user)
    },
    async setUserDisabled(id, disabled, actor) {
      const user = await repository.setUserDisabled(id, disabled ? now() : null)
      if (disabled) await repository.deleteSessionsOf(id)
      await audit({
        action: disabled ? "user.disabled" : "user.enabled",
        outcome: "success",
        ...by(actor),
        target: id,
        details: {},
      })
      return publicUser(user)
    },
    async createResetToken(userId, actor) {
      await requireUser(userId)
      const token = randomSecret()
      const expiresAt = new Date(clock().getTime() + resetMs).toISOString()
      await repository.createReset({
        tokenHash: hashSecret(token),
        userId,
        createdBy: actor.userId ?? "cli",
        createdAt: now(),
        expiresAt,
      })
      await audit({
        action: "user.reset-link.created",
        outcome: "success",
        ...by(actor),
        target: userId,
        details: { expiresAt },
      })
      return { token, expiresAt }
    },
    async resetPassword(input, meta) {
      const tokenHash = hashSecret(input.token)
      // Check strength before spending the token, so that a weak choice can be corrected with the same link.
      checkPasswordStrength(input.newPassword)
      const pending = await repository.takeReset(tokenHash, now())
      if (!pending) {
        await audit({
          action: "auth.password.reset",
          outcome: "failure",
          actorUserId: null,
          actorKeyId: null,
          target: null,
          ...meta,
          details: {},
        })
        throw new AppError(
          "RESET_TOKEN_INVALID",
          "This reset link is wrong, used or expired. Ask an administrator for a new one.",
        )
      }
      const user = await requireUser(pending)
      await setPassword(user, input.newPassword)
      await repository.deleteSessionsOf(user.id)
      await audit({
        action: "auth.password.reset",
        outcome: "success",
        actorUserId: user.id,
        actorKeyId: null,
        target: user.id,
        ...meta,
        details: {},
      })
    },
    listAudit: (query) => repository.listAudit(query),
    ...createApiKeyMethods({ repository, clock, audit, requireUser, publicUser, by }),
  }
}
