import { AppError, newId } from "@xionimus/kit"
import type { ApiKey, User } from "@xionimus/protocol"
import type { AuditEntry, AuthRepository, UserRecord } from "@xionimus/store"
import { displayPrefix, hashSecret, newApiKeySecret } from "./secrets.ts"
import type { Actor, AuthService } from "./types.ts"

const dayMs = 86_400_000
// last_used_at is written at most this often, so that authenticating costs no write per request.
const touchEveryMs = 60_000

const invalidCredential = (what: string) =>
  new AppError("AUTH_INVALID", `The ${what} is not valid: it is unknown, expired or revoked. Sign in again.`)

/** The API key half of the auth service: create (shown once), authenticate, list, revoke. */
export function createApiKeyMethods(deps: {
  repository: AuthRepository
  clock: () => Date
  audit: (entry: Omit<AuditEntry, "id" | "time">) => Promise<void>
  requireUser: (id: string) => Promise<UserRecord>
  publicUser: (user: UserRecord) => User
  by: (actor: Actor) => Pick<AuditEntry, "actorUserId" | "actorKeyId" | "ip" | "userAgent">
}): Pick<
  AuthService,
  "authenticateApiKey" | "createApiKey" | "listApiKeys" | "getApiKey" | "revokeApiKey" | "rotateApiKey"
> {
  const { repository, clock, audit, requireUser, publicUser, by } = deps
  const now = () => clock().toISOString()
  async function issue(input: {
    userId: string
    name: string
    scope: ApiKey["scope"]
    expiresAt: string | null
  }): Promise<{ apiKey: ApiKey; secret: string }> {
    const secret = newApiKeySecret()
    const record = await repository.createApiKey({
      id: newId("key"),
      secretHash: hashSecret(secret),
      userId: input.userId,
      name: input.name,
      scope: input.scope,
      prefix: displayPrefix(secret),
      createdAt: now(),
      expiresAt: input.expiresAt,
    })
    return { apiKey: record, secret }
  }

  return {
    async authenticateApiKey(secret) {
      const key = await repository.findApiKey(hashSecret(secret))
      if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now()))
        throw invalidCredential("API key")
      const user = await repository.getUser(key.userId)
      if (!user || user.disabledAt) throw invalidCredential("API key")
      if (!key.lastUsedAt || clock().getTime() - Date.parse(key.lastUsedAt) > touchEveryMs) {
        await repository.touchApiKey(key.id, now())
      }
      return {
        user: publicUser(user),
        via: "api-key",
        scope: key.scope,
        sessionId: null,
        keyId: key.id,
        csrfToken: null,
      }
    },
    async createApiKey(input, actor) {
      const user = await requireUser(input.userId)
      if (input.scope === "admin" && !user.admin) {
        throw new AppError(
          "FORBIDDEN",
          `${user.email} is not an administrator, so a key with admin scope cannot be made for them.`,
        )
      }
      const { apiKey: record, secret } = await issue({
        userId: user.id,
        name: input.name,
        scope: input.scope,
        expiresAt: input.expiresInDays
          ? new Date(clock().getTime() + input.expiresInDays * dayMs).toISOString()
          : null,
      })
      await audit({
        action: "api-key.created",
        outcome: "success",
        ...by(actor),
        target: record.id,
        details: { userId: user.id, scope: record.scope, expiresAt: record.expiresAt },
      })
      return { apiKey: record, secret }
    },
    listApiKeys: (userId) => repository.listApiKeys(userId),
    async getApiKey(id) {
      const key = await repository.getApiKey(id)
      if (!key) throw new AppError("API_KEY_NOT_FOUND", `No API key ${id}. List keys to find the id.`, { id })
      return key
    },
    async rotateApiKey(id, graceHours, actor) {
      const old = await repository.getApiKey(id)
      if (!old || old.revokedAt || (old.expiresAt && old.expiresAt <= now()))
        throw new AppError(
          "API_KEY_NOT_FOUND",
          `No usable API key ${id} (unknown, revoked or expired): create a new key instead.`,
          { id },
        )
      const user = await requireUser(old.userId)
      if (old.scope === "admin" && !user.admin)
        throw new AppError(
          "FORBIDDEN",
          `${user.email} is no longer an administrator; an admin key cannot be renewed.`,
        )
      const created = await issue({
        userId: old.userId,
        name: old.name,
        scope: old.scope,
        expiresAt: old.expiresAt,
      })
      const graceUntil = new Date(clock().getTime() + graceHours * 3_600_000).toISOString()
      const endsAt = old.expiresAt && old.expiresAt < graceUntil ? old.expiresAt : graceUntil
      await repository.setApiKeyExpiry(id, endsAt)
      await audit({
        action: "api-key.rotated",
        outcome: "success",
        ...by(actor),
        target: id,
        details: { userId: old.userId, newKeyId: created.apiKey.id, oldKeyEndsAt: endsAt },
      })
      return { ...created, previous: { ...old, expiresAt: endsAt } }
    },
    async revokeApiKey(id, actor) {
      const key = await repository.revokeApiKey(id, now())
      await audit({
        action: "api-key.revoked",
        outcome: "success",
        ...by(actor),
        target: id,
        details: { userId: key.userId },
      })
      return key
    },
  }
}
