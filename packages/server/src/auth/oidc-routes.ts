import type { OidcLogin } from "@xionimus/auth"
import { OidcProviderList } from "@xionimus/protocol"
import { z } from "zod"
import { defineRoute, emptyResponse, type Route } from "../define-route.ts"
import type { RouteDeps } from "../route-deps.ts"
import { setSessionCookies } from "./auth-cookies.ts"
import { metaOf } from "./request-identity.ts"

const ProviderParams = z.strictObject({ providerId: z.string().regex(/^[a-z0-9-]{1,40}$/, "a provider id") })
// The provider adds what it likes (code, state, iss, session_state…); finish() checks what matters.
const CallbackQuery = z.object({}).catchall(z.string().max(4096))

/** Sign-in with OpenID Connect providers: the list, the redirect out, and the callback. */
export function oidcRoutes({ services }: RouteDeps, oidc: OidcLogin): Route[] {
  const callbackOf = (request: { protocol: string; host: string }, providerId: string) =>
    `${request.protocol}://${request.host}/api/auth/oidc/${providerId}/callback`
  return [
    defineRoute({
      method: "GET",
      url: "/api/auth/providers",
      summary: "The OpenID Connect providers one may sign in with",
      tags: ["auth"],
      access: "public",
      response: { 200: OidcProviderList },
      handler: () => ({ items: oidc.providers() }),
    }),
    defineRoute({
      method: "GET",
      url: "/api/auth/oidc/:providerId/start",
      summary: "Start signing in with a provider: redirects to it (PKCE, state and nonce)",
      tags: ["auth"],
      access: "public",
      params: ProviderParams,
      response: { 302: emptyResponse("To the provider's sign-in page") },
      async handler({ params, request, reply }) {
        const url = await oidc.start(params.providerId, callbackOf(request, params.providerId))
        reply.code(302).header("location", url.href)
        return undefined
      },
    }),
    defineRoute({
      method: "GET",
      url: "/api/auth/oidc/:providerId/callback",
      summary: "Where the provider sends the browser back: signs in and redirects to the app",
      description:
        "An unknown, used or foreign state is OIDC_STATE_INVALID; a provider that refuses is OIDC_FAILED; an " +
        "identity without a matching account (sign-up is invite-only) is OIDC_NO_ACCOUNT.",
      tags: ["auth"],
      access: "public",
      params: ProviderParams,
      query: CallbackQuery,
      response: { 302: emptyResponse("Signed in: to the app") },
      async handler({ params, request, reply }) {
        const url = new URL(callbackOf(request, params.providerId))
        url.search = new URL(request.url, "http://placeholder").search
        const identity = await oidc.finish(params.providerId, url)
        const issued = await services.auth.loginWithIdentity(identity, metaOf(request))
        setSessionCookies(request, reply, issued)
        reply.code(302).header("location", "/")
        return undefined
      },
    }),
  ]
}
