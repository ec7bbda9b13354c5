import { AppError } from "@xionimus/kit"
import type { AuditEntry, AuthRepository, IdentityRepository, UserRecord } from "@xionimus/store"
import type { OidcIdentity } from "./oidc-login.ts"
import type { IssuedSession, RequestMeta } from "./types.ts"

/**
 * Signs in with an identity from an OIDC provider. Sign-up stays invite-only: the identity must be linked
 * already, or carry a verified e-mail address of an existing account, which links it (account linking).
 */
export async function loginWithIdentity(
  deps: {
    repository: AuthRepository
    identities: IdentityRepository
    audit: (entry: Omit<AuditEntry, "id" | "time">) => Promise<void>
    issueSession: (user: UserRecord, meta: RequestMeta) => Promise<IssuedSession>
    now: () => string
    /** Raises IP_NOT_ALLOWED when a team of the user does not allow this address. */
    checkAddress?: (user: UserRecord, meta: RequestMeta, target: string) => Promise<void>
  },
  identity: OidcIdentity,
  meta: RequestMeta,
): Promise<IssuedSession> {
  const base = { action: "auth.login", actorKeyId: null, target: identity.email ?? identity.subject, ...meta }
  let userId = await deps.identities.find(identity.provider, identity.subject)
  if (!userId && identity.email && identity.emailVerified) {
    const user = await deps.repository.findUserByEmail(identity.email)
    if (user) {
      await deps.identities.link({ ...identity, userId: user.id, at: deps.now() })
      await deps.audit({
        ...base,
        action: "auth.identity.linked",
        outcome: "success",
        actorUserId: user.id,
        details: { provider: identity.provider, subject: identity.subject },
      })
      userId = user.id
    }
  }
  const user = userId ? await deps.repository.getUser(userId) : undefined
  if (!user || user.disabledAt) {
    await deps.audit({
      ...base,
      outcome: "failure",
      actorUserId: user?.id ?? null,
      details: { provider: identity.provider, reason: user ? "disabled" : "no-account" },
    })
    if (user) throw new AppError("AUTH_INVALID", "This account is disabled.")
    throw new AppError(
      "OIDC_NO_ACCOUNT",
      `No account matches this sign-in${identity.email ? ` (${identity.email})` : ""}. Ask an administrator to invite you.`,
    )
  }
  await deps.checkAddress?.(user, meta, base.target)
  const issued = await deps.issueSession(user, meta)
  await deps.audit({
    ...base,
    outcome: "success",
    actorUserId: user.id,
    target: issued.session.id,
    details: { provider: identity.provider },
  })
  return issued
}
