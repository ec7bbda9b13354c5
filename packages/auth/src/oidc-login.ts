import { AppError } from "@xionimus/kit"
import * as client from "openid-client"
import { githubAuthorizationUrl, githubDefaults, githubIdentity } from "./github-login.ts"

/**
 * One sign-in provider: an OpenID Connect issuer with discovery (Google, GitLab, Keycloak…), or GitHub's
 * plain OAuth 2 (`type: "github"`: no ID token; the user and verified e-mail come from its REST API).
 */
export interface OidcProviderConfig {
  /** Short id used in URLs: /api/auth/oidc/<id>/start. */
  id: string
  /** Default "oidc". */
  type?: "oidc" | "github"
  /** Shown on the sign-in button. */
  name: string
  /** OIDC: the issuer URL; its /.well-known/openid-configuration is read once, at first use. */
  issuer?: string
  clientId: string
  clientSecret: string
  /** GitHub: web root (default https://github.com). */
  baseUrl?: string
  /** GitHub: REST API root (default https://api.github.com). */
  apiBaseUrl?: string
  /** Allow an http:// issuer (local test servers only). */
  allowHttp?: boolean
}

/** What a provider says about the person who signed in. */
export interface OidcIdentity {
  provider: string
  subject: string
  email: string | null
  emailVerified: boolean
  name: string | null
}

/**
 * The authorisation-code flow with PKCE, state and nonce. Pending sign-ins live in memory for ten
 * minutes (the callback must reach the node that started it; put sticky sessions in front of several).
 */
export interface OidcLogin {
  providers(): { id: string; name: string }[]
  /** The provider's authorisation URL to redirect the browser to. */
  start(providerId: string, redirectUri: string): Promise<URL>
  /**
   * Checks the callback (state known and unexpired, code exchanged, ID token signed and carrying the
   * nonce). OIDC_STATE_INVALID for an unknown, used or foreign state; OIDC_FAILED when the provider
   * refuses; OIDC_UNAVAILABLE when it cannot be reached.
   */
  finish(providerId: string, callbackUrl: URL): Promise<OidcIdentity>
}

const pendingMs = 10 * 60_000

export function createOidcLogin(configs: OidcProviderConfig[], clock: () => number = Date.now): OidcLogin {
  const discovered = new Map<string, Promise<client.Configuration>>()
  const pending = new Map<
    string,
    { providerId: string; verifier: string; nonce: string; redirectUri: string; expires: number }
  >()

  function providerOf(providerId: string): OidcProviderConfig {
    const provider = configs.find((item) => item.id === providerId)
    if (!provider)
      throw new AppError("NOT_FOUND", `No sign-in provider "${providerId}" is configured.`, { providerId })
    return provider
  }
  const githubOf = (provider: OidcProviderConfig) => ({
    baseUrl: provider.baseUrl ?? githubDefaults.baseUrl,
    apiBaseUrl: provider.apiBaseUrl ?? githubDefaults.apiBaseUrl,
  })

  function configOf(providerId: string): Promise<client.Configuration> {
    const provider = providerOf(providerId)
    let configuration = discovered.get(providerId)
    if (!configuration) {
      configuration = client
        .discovery(
          new URL(provider.issuer ?? ""),
          provider.clientId,
          provider.clientSecret,
          undefined,
          provider.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
        )
        .catch((error: unknown) => {
          discovered.delete(providerId)
          throw new AppError(
            "OIDC_UNAVAILABLE",
            `The sign-in provider ${provider.name} cannot be reached; try again later.`,
            {
              providerId,
            },
            { cause: error },
          )
        })
      discovered.set(providerId, configuration)
    }
    return configuration
  }

  function sweep(): void {
    for (const [state, entry] of pending) if (entry.expires < clock()) pending.delete(state)
  }

  return {
    providers: () => configs.map(({ id, name }) => ({ id, name })),
    async start(providerId, redirectUri) {
      const provider = providerOf(providerId)
      sweep()
      const verifier = client.randomPKCECodeVerifier()
      const state = client.randomState()
      const nonce = client.randomNonce()
      if (provider.type === "github") {
        pending.set(state, { providerId, verifier, nonce, redirectUri, expires: clock() + pendingMs })
        return githubAuthorizationUrl(githubOf(provider), {
          clientId: provider.clientId,
          redirectUri,
          state,
          codeChallenge: await client.calculatePKCECodeChallenge(verifier),
        })
      }
      const configuration = await configOf(providerId)
      pending.set(state, { providerId, verifier, nonce, redirectUri, expires: clock() + pendingMs })
      return client.buildAuthorizationUrl(configuration, {
        redirect_uri: redirectUri,
        scope: "openid email profile",
        code_challenge: await client.calculatePKCECodeChallenge(verifier),
        code_challenge_method: "S256",
        state,
        nonce,
      })
    },
    async finish(providerId, callbackUrl) {
      const state = callbackUrl.searchParams.get("state") ?? ""
      const entry = pending.get(state)
      pending.delete(state)
      if (!entry || entry.providerId !== providerId || entry.expires < clock()) {
        throw new AppError(
          "OIDC_STATE_INVALID",
          "This sign-in link is unknown, used or expired. Start signing in again.",
        )
      }
      const provider = providerOf(providerId)
      if (provider.type === "github") {
        const code = callbackUrl.searchParams.get("code")
        if (!code)
          throw new AppError("OIDC_FAILED", "GitHub sent no code (was the sign-in refused?); start again.", {
            providerId,
          })
        return githubIdentity(providerId, githubOf(provider), {
          clientId: provider.clientId,
          clientSecret: provider.clientSecret,
          code,
          redirectUri: entry.redirectUri,
          verifier: entry.verifier,
        })
      }
      const configuration = await configOf(providerId)
      let claims: Record<string, unknown> | undefined
      try {
        const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
          pkceCodeVerifier: entry.verifier,
          expectedState: state,
          expectedNonce: entry.nonce,
          idTokenExpected: true,
        })
        claims = tokens.claims() as Record<string, unknown> | undefined
        // Many providers put e-mail only in the userinfo answer, not in the ID token.
        if (claims && typeof claims.sub === "string" && claims.email === undefined) {
          const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub)
          claims = { ...claims, ...userinfo }
        }
      } catch (error) {
        throw new AppError(
          "OIDC_FAILED",
          "The sign-in provider refused the sign-in; start again.",
          { providerId },
          {
            cause: error,
          },
        )
      }
      if (!claims || typeof claims.sub !== "string") {
        throw new AppError("OIDC_FAILED", "The sign-in provider sent no identity; start again.", {
          providerId,
        })
      }
      return {
        provider: providerId,
        subject: claims.sub,
        email: typeof claims.email === "string" ? claims.email.toLowerCase() : null,
        emailVerified: claims.email_verified === true,
        name: typeof claims.name === "string" ? claims.name : null,
      }
    },
  }
}
