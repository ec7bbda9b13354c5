import { AppError, newId } from "@xionimus/kit"
import type { User } from "@xionimus/protocol"
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
}): Pick<AuthService, "authenticateApiKey" | "createApiKey" | "listApiKeys" | "getApiKey" | "revokeApiKey"> {
  const { repository, clock, audit, requireUser, publicUser, by } = deps
  const now = () => clock().toISOString()
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
      const secret = newApiKeySecret()
      const createdAt = now()
      const record = await repository.createApiKey({
        id: newId("key"),
        secretHash: hashSecret(secret),
        userId: user.id,
        name: input.name,
        scope: input.scope,
        prefix: displayPrefix(secret),
        createdAt,
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
