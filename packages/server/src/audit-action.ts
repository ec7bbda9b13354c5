import type { Authenticated, AuthService } from "@xionimus/auth"
import type { FastifyRequest } from "fastify"
import { metaOf } from "./auth/request-identity.ts"

/** Records one successful action of the request's principal on `target` in the audit log. */
export function auditAction(
  auth: AuthService,
  request: FastifyRequest,
  principal: Authenticated | null,
  action: string,
  target: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  return auth.audit({
    action,
    outcome: "success",
    actorUserId: principal?.user.id ?? null,
    actorKeyId: principal?.keyId ?? null,
    target,
    ...metaOf(request),
    details,
  })
}
