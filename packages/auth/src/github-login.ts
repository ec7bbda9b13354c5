import { AppError } from "@xionimus/kit"
import type { OidcIdentity } from "./oidc-login.ts"

/** Where GitHub (or a GitHub Enterprise server) answers. */
export interface GithubEndpoints {
  /** The web root: /login/oauth/authorize and /login/oauth/access_token (default https://github.com). */
  baseUrl: string
  /** The REST API root: /user and /user/emails (default https://api.github.com). */
  apiBaseUrl: string
}

export const githubDefaults: GithubEndpoints = {
  baseUrl: "https://github.com",
  apiBaseUrl: "https://api.github.com",
}

const join = (root: string, path: string) => `${root.replace(/\/+$/, "")}${path}`

/** GitHub's authorisation URL for the code flow with PKCE (S256) and state. */
export function githubAuthorizationUrl(
  endpoints: GithubEndpoints,
  input: { clientId: string; redirectUri: string; state: string; codeChallenge: string },
): URL {
  const url = new URL(join(endpoints.baseUrl, "/login/oauth/authorize"))
  url.search = new URLSearchParams({
    client_id: input.clientId,
    redirect_uri: input.redirectUri,
    scope: "read:user user:email",
    state: input.state,
    code_challenge: input.codeChallenge,
    code_challenge_method: "S256",
    allow_signup: "false",
  }).toString()
  return url
}

interface GithubUser {
  id: number
  login: string
  name?: string | null
}

interface GithubEmail {
  email: string
  primary: boolean
  verified: boolean
}

/**
 * Exchanges the code (with the PKCE verifier) for an access token, then reads the user and their
 * e-mail addresses. GitHub has no ID token: the identity is the numeric user id, and only the verified
 * primary address counts as verified. OIDC_FAILED when GitHub refuses, OIDC_UNAVAILABLE when unreachable.
 */
export async function githubIdentity(
  providerId: string,
  endpoints: GithubEndpoints,
  input: { clientId: string; clientSecret: string; code: string; redirectUri: string; verifier: string },
  fetchImpl: typeof fetch = fetch,
): Promise<OidcIdentity> {
  const refused = (why: string) =>
    new AppError("OIDC_FAILED", `GitHub refused the sign-in (${why}); start again.`, { providerId })
  const call = async (url: string, init: RequestInit): Promise<unknown> => {
    let response: Response
    try {
      response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(15_000) })
    } catch (error) {
      throw new AppError(
        "OIDC_UNAVAILABLE",
        "GitHub cannot be reached; try again later.",
        { providerId },
        { cause: error },
      )
    }
    if (!response.ok) throw refused(`HTTP ${response.status} from ${new URL(url).pathname}`)
    try {
      return await response.json()
    } catch {
      throw refused("an answer that is not JSON")
    }
  }
  const token = (await call(join(endpoints.baseUrl, "/login/oauth/access_token"), {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: input.clientId,
      client_secret: input.clientSecret,
      code: input.code,
      redirect_uri: input.redirectUri,
      code_verifier: input.verifier,
    }),
  })) as { access_token?: unknown; error?: unknown }
  // GitHub answers 200 with an `error` field for a bad code or verifier.
  if (typeof token.access_token !== "string" || token.access_token === "")
    throw refused(typeof token.error === "string" ? token.error : "no access token")
  const headers = {
    accept: "application/vnd.github+json",
    authorization: `Bearer ${token.access_token}`,
    "user-agent": "Xionimus",
    "x-github-api-version": "2022-11-28",
  }
  const user = (await call(join(endpoints.apiBaseUrl, "/user"), { headers })) as Partial<GithubUser>
  if (typeof user.id !== "number") throw refused("no user id")
  const emails = await call(join(endpoints.apiBaseUrl, "/user/emails"), { headers })
  const primary = Array.isArray(emails)
    ? (emails as GithubEmail[]).find((entry) => entry.primary && entry.verified)
    : undefined
  return {
    provider: providerId,
    subject: String(user.id),
    email: primary ? primary.email.toLowerCase() : null,
    emailVerified: primary !== undefined,
    name: user.name ?? user.login ?? null,
  }
}
