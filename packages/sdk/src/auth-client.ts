import { AuthStatus, OidcProviderList, User } from "@xionimus/protocol"
import { createHttp, type HttpOptions } from "./http.ts"

const SignedIn = { safeParse: (value: unknown) => User.safeParse((value as { user?: unknown })?.user) }

/** Signing in and out from a browser page (cookies) or a program. */
export interface AuthClient {
  /** Whether the owner must still be created, and who this client is signed in as. */
  status(): Promise<AuthStatus>
  /** First run: creates the owner and signs in (from the server's machine, or with the setup token). */
  setup(input: { email: string; password: string; name?: string; setupToken?: string }): Promise<User>
  /** With two-factor sign-in on, `code` (authenticator or recovery code) is needed: TOTP_REQUIRED without it. */
  login(input: { email: string; password: string; code?: string }): Promise<User>
  logout(): Promise<void>
  /** The OpenID Connect providers to offer; sign in with one by navigating to its `startUrl`. */
  providers(): Promise<{ id: string; name: string; startUrl: string }[]>
}

export function createAuthClient(options: HttpOptions): AuthClient {
  const http = createHttp(options)
  return {
    status: () => http.json("/api/auth/status", AuthStatus),
    setup: (input) => http.json("/api/auth/setup", SignedIn, { method: "POST", body: input }),
    login: (input) => http.json("/api/auth/login", SignedIn, { method: "POST", body: input }),
    logout: () => http.empty("/api/auth/logout", { method: "POST" }),
    async providers() {
      const answer = await http.json("/api/auth/providers", OidcProviderList)
      return answer.items.map((item) => ({
        ...item,
        startUrl: http.url(`/api/auth/oidc/${encodeURIComponent(item.id)}/start`),
      }))
    },
  }
}

/** The CSRF token the server put in the readable `xionimus_csrf` cookie (pass `document.cookie`). */
export function csrfTokenFromCookie(cookie: string): string | undefined {
  for (const part of cookie.split(";")) {
    const [name, ...value] = part.trim().split("=")
    if (name === "xionimus_csrf") return decodeURIComponent(value.join("="))
  }
  return undefined
}
