export const testOwner = { email: "owner@example.test", password: "correct horse battery staple" } as const

export interface SignedInOwner {
  /** An admin-scope API key (`xk_…`) of the owner. */
  apiKey: string
  /** `{ authorization: "Bearer xk_…" }`. */
  headers: Record<string, string>
  /** The browser session: a Cookie header value and its CSRF token. */
  cookie: string
  csrfToken: string
}

/**
 * First run over HTTP, the way a browser on the server's machine does it: creates the owner
 * (POST /api/auth/setup from loopback), then an admin-scope API key with the session (cookie + CSRF).
 * For tests that run a real server.
 */
export async function signInOwner(baseUrl: string): Promise<SignedInOwner> {
  const setup = await fetch(`${baseUrl}/api/auth/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(testOwner),
  })
  if (setup.status !== 201) throw new Error(`owner setup answered ${setup.status}: ${await setup.text()}`)
  const cookies = new Map(
    setup.headers.getSetCookie().map((line) => {
      const [pair] = line.split(";")
      const at = pair!.indexOf("=")
      return [pair!.slice(0, at), pair!.slice(at + 1)] as const
    }),
  )
  const csrfToken = cookies.get("xionimus_csrf") ?? ""
  const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join("; ")
  const created = await fetch(`${baseUrl}/api/api-keys`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie, "x-csrf-token": csrfToken },
    body: JSON.stringify({ name: "test owner", scope: "admin" }),
  })
  if (created.status !== 201)
    throw new Error(`API key creation answered ${created.status}: ${await created.text()}`)
  const { secret } = (await created.json()) as { secret: string }
  return { apiKey: secret, headers: { authorization: `Bearer ${secret}` }, cookie, csrfToken }
}
