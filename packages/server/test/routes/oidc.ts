import assert from "node:assert/strict"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { after, before, describe, test } from "node:test"
import { expectError } from "../support/expect-error.ts"
import { anonymous, createUser, sessionOf } from "../support/sign-in.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

const appHost = "xionimus.test"
const redirectUri = `http://${appHost}/api/auth/oidc/local/callback`
/** The accounts of the local OIDC server: id → claims. */
const accounts: Record<string, { email: string; email_verified: boolean }> = {
  alice: { email: "alice@example.test", email_verified: true },
  mallory: { email: "alice@example.test", email_verified: false },
  stranger: { email: "nobody@example.test", email_verified: true },
}

/** The part of oidc-provider used here (the package ships no types). */
type ProviderClass = new (
  issuer: string,
  configuration: Record<string, unknown>,
) => { callback(): (request: IncomingMessage, response: ServerResponse) => void }

/** A real OpenID Connect provider (oidc-provider, development interactions) on 127.0.0.1. */
async function startProvider(): Promise<{ issuer: string; close(): Promise<void> }> {
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // Through a variable: the package ships no types.
  const packageName = "oidc-provider"
  const { default: Provider } = (await import(packageName)) as { default: ProviderClass }
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: "xionimus",
        client_secret: "a client secret for tests only",
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"] },
    async findAccount(_context: unknown, id: string) {
      const account = accounts[id]
      return account ? { accountId: id, claims: async () => ({ sub: id, ...account }) } : undefined
    },
    cookies: { keys: ["a cookie key for tests only"] },
  })
  server.on("request", provider.callback())
  return {
    issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A browser's part of the flow: follows the provider's redirects and submits its login and consent forms. */
async function signInAtProvider(authorizationUrl: string, account: string): Promise<URL> {
  const jar = new Map<string, string>()
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";")
      const at = pair!.indexOf("=")
      const name = pair!.slice(0, at)
      if (/expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name)
      else jar.set(name, pair!.slice(at + 1))
    }
  }
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ")
  let url = new URL(authorizationUrl)
  for (let hop = 0; hop < 12; hop++) {
    if (url.href.startsWith(redirectUri)) return url
    let response = await fetch(url, { redirect: "manual", headers: { cookie: cookie() } })
    remember(response)
    if (response.status === 200 && url.pathname.startsWith("/interaction/")) {
      const page = await response.text()
      const prompt = /name="prompt" value="(\w+)"/.exec(page)?.[1]
      const form = new URLSearchParams({ prompt: prompt ?? "", login: account, password: "anything" })
      response = await fetch(url, {
        method: "POST",
        redirect: "manual",
        headers: { cookie: cookie(), "content-type": "application/x-www-form-urlencoded" },
        body: form,
      })
      remember(response)
    }
    const location = response.headers.get("location")
    if (!location)
      throw new Error(`the provider answered ${response.status} at ${url.pathname}: ${await response.text()}`)
    url = new URL(location, url)
  }
  throw new Error("too many redirects at the provider")
}

export function oidcTests(): void {
  describe("sign-in with OpenID Connect (against a local oidc-provider)", () => {
    let harness: TestApp
    let provider: Awaited<ReturnType<typeof startProvider>>
    before(async () => {
      provider = await startProvider()
      harness = await createTestApp({
        app: {
          oidcProviders: [
            {
              id: "local",
              name: "Local OIDC",
              issuer: provider.issuer,
              clientId: "xionimus",
              clientSecret: "a client secret for tests only",
              allowHttp: true,
            },
          ],
        },
      })
      await createUser(harness.app, "alice@example.test")
    })
    after(async () => {
      await harness.close()
      await provider.close()
    })

    const start = async () => {
      const response = await harness.app.inject({
        method: "GET",
        url: "/api/auth/oidc/local/start",
        headers: { ...anonymous, host: appHost },
      })
      assert.equal(response.statusCode, 302, response.body)
      return String(response.headers.location)
    }
    const callback = (url: URL) =>
      harness.app.inject({
        method: "GET",
        url: `${url.pathname}${url.search}`,
        headers: { ...anonymous, host: appHost },
      })

    test("a verified e-mail links the identity to the invited account and signs in; the state works once", async () => {
      const providers = await harness.app.inject({
        method: "GET",
        url: "/api/auth/providers",
        headers: anonymous,
      })
      assert.deepEqual(providers.json(), { items: [{ id: "local", name: "Local OIDC" }] })
      const authorization = new URL(await start())
      assert.equal(authorization.searchParams.get("code_challenge_method"), "S256")
      assert.ok(authorization.searchParams.get("nonce"))
      const back = await signInAtProvider(authorization.href, "alice")
      const signedIn = await callback(back)
      assert.equal(signedIn.statusCode, 302, signedIn.body)
      assert.equal(signedIn.headers.location, "/")
      const me = await harness.app.inject({ method: "GET", url: "/api/auth/me", ...sessionOf(signedIn) })
      assert.equal(me.json().user.email, "alice@example.test")
      const linked = await harness.services.auth.listAudit({ action: "auth.identity.linked", limit: 5 })
      assert.equal(linked.items.length, 1)
      expectError(await callback(back), 400, "OIDC_STATE_INVALID")
      // Linked now: a second sign-in finds the account by the provider's subject.
      assert.equal((await callback(await signInAtProvider(await start(), "alice"))).statusCode, 302)
    })

    test("a forged state or code is refused and spends the state; an unverified or unknown e-mail gets no account", async () => {
      const back = await signInAtProvider(await start(), "alice")
      const forged = new URL(back)
      forged.searchParams.set("state", "forged-state")
      expectError(await callback(forged), 400, "OIDC_STATE_INVALID")
      const tampered = new URL(back)
      tampered.searchParams.set("code", "a-code-the-provider-never-issued")
      expectError(await callback(tampered), 401, "OIDC_FAILED")
      expectError(await callback(back), 400, "OIDC_STATE_INVALID")
      for (const account of ["mallory", "stranger"]) {
        const answer = await callback(await signInAtProvider(await start(), account))
        expectError(answer, 403, "OIDC_NO_ACCOUNT")
        assert.equal(answer.cookies.length, 0)
      }
      const failures = await harness.services.auth.listAudit({ action: "auth.login", limit: 20 })
      assert.ok(failures.items.some((entry) => entry.details.reason === "no-account"))
    })
  })
}
