import { AppError } from "@xionimus/kit"
import { ConfirmTotpBody, DisableTotpBody, RecoveryCodes, TotpEnrolment } from "@xionimus/protocol"
import { defineRoute, emptyResponse, type Route } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"
import { metaOf } from "./request-identity.ts"

/** Two-factor sign-in for the signed-in user: enrol (secret + otpauth URI), confirm, turn off. */
export function totpRoutes({ services }: RouteDeps): Route[] {
  const { auth, totp } = services
  const record = (
    action: string,
    who: { user: { id: string }; keyId: string | null },
    meta: ReturnType<typeof metaOf>,
  ) =>
    auth.audit({
      action,
      outcome: "success",
      actorUserId: who.user.id,
      actorKeyId: who.keyId,
      target: who.user.id,
      ...meta,
      details: {},
    })
  return [
    defineRoute({
      method: "POST",
      url: "/api/auth/totp",
      summary: "Start two-factor enrolment: a new secret and its otpauth:// URI for a QR code",
      tags: ["auth"],
      access: "self:write",
      response: { 201: TotpEnrolment },
      handler: ({ principal }) => totp.begin(principal!.user),
    }),
    defineRoute({
      method: "POST",
      url: "/api/auth/totp/confirm",
      summary: "Finish enrolment with a current code; answers the recovery codes, once",
      tags: ["auth"],
      access: "self:write",
      body: ConfirmTotpBody,
      response: { 200: RecoveryCodes },
      async handler({ body, request, principal }) {
        const recoveryCodes = await totp.confirm(principal!.user.id, body.code)
        await record("auth.totp.enabled", principal!, metaOf(request))
        return { recoveryCodes }
      },
    }),
    defineRoute({
      method: "DELETE",
      url: "/api/auth/totp",
      summary: "Turn two-factor sign-in off (needs the current password)",
      tags: ["auth"],
      access: "self:write",
      body: DisableTotpBody,
      response: { 204: emptyResponse("Turned off") },
      async handler({ body, request, principal }) {
        if (!(await auth.checkPassword(principal!.user.id, body.password))) {
          throw new AppError("AUTH_INVALID", "The password is wrong.")
        }
        await totp.disable(principal!.user.id)
        await record("auth.totp.disabled", principal!, metaOf(request))
        return undefined
      },
    }),
  ]
}
