import assert from "node:assert/strict"
import { createHash, randomBytes } from "node:crypto"
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { after, before, describe, test } from "node:test"
import { Config } from "@xionimus/config"
import { signInProvidersOf } from "../../src/auth/sign-in-providers.ts"
import { expectError } from "../support/expect-error.ts"
import { anonymous, createUser, sessionOf } from "../support/sign-in.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

const appHost = "xionimus.test"
const clientSecret = "a github client secret for tests only"

interface FakeAccount {
  id: number
  login: string
  emails: { email: string; primary: boolean; verified: boolean }[]
}

/** GitHub's accounts in the fake: login → account. */
const accounts: Record<string, FakeAccount> = {
  octo: { id: 4242, login: "octo", emails: [{ email: "octo@example.test", primary: true, verified: true }] },
  sneaky: {
    id: 666,
    login: "sneaky",
    // Claims the invited address, but GitHub has not verified it; a verified secondary does not count.
    emails: [
      { email: "octo@example.test", primary: true, verified: false },
      { email: "other@example.test", primary: false, verified: true },
    ],
  },
}

/**
 * A fake of GitHub's OAuth 2 and REST endpoints on 127.0.0.1: authorize (redirects back with a code for
 * `signInAs`), access_token (checks client secret, code, redirect URI and the PKCE verifier), /user and
 * /user/emails (check the bearer token).
 */
async function startFakeGithub() {
  const codes = new Map<string, { login: string; challenge: string; redirectUri: string }>()
  const tokens = new Map<string, string>()
  const state = { signInAs: "octo", tokenRequests: 0 }
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://fake")
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" })
      response.end(JSON.stringify(body))
    }
    if (url.pathname === "/login/oauth/authorize") {
      const code = randomBytes(8).toString("hex")
      codes.set(code, {
        login: state.signInAs,
        challenge: url.searchParams.get("code_challenge") ?? "",
        redirectUri: url.searchParams.get("redirect_uri") ?? "",
      })
      const back = new URL(url.searchParams.get("redirect_uri") ?? "")
      back.searchParams.set("code", code)
      back.searchParams.set("state", url.searchParams.get("state") ?? "")
      response.writeHead(302, { location: back.href })
      response.end()
      return
    }
    if (url.pathname === "/login/oauth/access_token" && request.method === "POST") {
      state.tokenRequests++
      let text = ""
      for await (const chunk of request) text += chunk
      const form = new URLSearchParams(text)
      const issued = codes.get(form.get("code") ?? "")
      codes.delete(form.get("code") ?? "")
      const verifier = form.get("code_verifier") ?? ""
      const challenge = createHash("sha256").update(verifier).digest("base64url")
      // GitHub answers 200 with an error field.
      if (
        !issued ||
        form.get("client_secret") !== clientSecret ||
        form.get("redirect_uri") !== issued.redirectUri ||
        challenge !== issued.challenge
      )
        return json(200, { error: "bad_verification_code" })
      const token = `gho_${randomBytes(8).toString("hex")}`
      tokens.set(token, issued.login)
      return json(200, { access_token: token, token_type: "bearer", scope: "read:user,user:email" })
    }
    const login = tokens.get((request.headers.authorization ?? "").replace(/^Bearer /, ""))
    if (!login) return json(401, { message: "Bad credentials" })
    const account = accounts[login]!
    if (url.pathname === "/api/user") return json(200, { id: account.id, login: account.login, name: null })
    if (url.pathname === "/api/user/emails") return json(200, account.emails)
    json(404, { message: "Not Found" })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    root,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export function githubLoginTests(): void {
  describe("sign-in providers from the configuration; GitHub's plain OAuth 2 (against a local fake)", () => {
    let harness: TestApp
    let github: Awaited<ReturnType<typeof startFakeGithub>>
    before(async () => {
      github = await startFakeGithub()
      harness = await createTestApp({
        config: {
          auth: {
            oidc: [
              { id: "google", clientId: "google-client", clientSecret: "google secret" },
              {
                id: "github",
                clientId: "gh-client",
                clientSecret,
                baseUrl: github.root,
                apiBaseUrl: `${github.root}/api`,
              },
            ],
          },
        },
      })
      await createUser(harness.app, "octo@example.test")
    })
    after(async () => {
      await harness.close()
      await github.close()
    })

    const start = async () => {
      const response = await harness.app.inject({
        method: "GET",
        url: "/api/auth/oidc/github/start",
        headers: { ...anonymous, host: appHost },
      })
      assert.equal(response.statusCode, 302, response.body)
      return new URL(String(response.headers.location))
    }
    /** The browser at GitHub: the fake redirects straight back with a code. */
    const atGithub = async (authorization: URL, login: string) => {
      github.state.signInAs = login
      const response = await fetch(authorization, { redirect: "manual" })
      return new URL(String(response.headers.get("location")))
    }
    const callback = (url: URL) =>
      harness.app.inject({
        method: "GET",
        url: `${url.pathname}${url.search}`,
        headers: { ...anonymous, host: appHost },
      })

    test("GitHub endpoints over plain http are refused unless on this machine", () => {
      const config = Config.parse({
        auth: {
          oidc: [{ id: "github", clientId: "a", clientSecret: "b", apiBaseUrl: "http://api.github.example" }],
        },
      })
      assert.throws(() => signInProvidersOf(config), { code: "CONFIG_INVALID" })
      assert.equal(signInProvidersOf(harness.config)[1]?.type, "github")
    })

    test("the configured providers are listed with the presets' names", async () => {
      const providers = await harness.app.inject({
        method: "GET",
        url: "/api/auth/providers",
        headers: anonymous,
      })
      assert.deepEqual(providers.json(), {
        items: [
          { id: "google", name: "Google" },
          { id: "github", name: "GitHub" },
        ],
      })
    })

    test("GitHub: PKCE and state go out; a verified primary e-mail links the invited account and signs in", async () => {
      const authorization = await start()
      assert.equal(authorization.origin, github.root)
      assert.equal(authorization.searchParams.get("code_challenge_method"), "S256")
      assert.ok(authorization.searchParams.get("state"))
      assert.equal(
        authorization.searchParams.get("redirect_uri"),
        `http://${appHost}/api/auth/oidc/github/callback`,
      )
      const back = await atGithub(authorization, "octo")
      const signedIn = await callback(back)
      assert.equal(signedIn.statusCode, 302, signedIn.body)
      const me = await harness.app.inject({ method: "GET", url: "/api/auth/me", ...sessionOf(signedIn) })
      assert.equal(me.json().user.email, "octo@example.test")
      const linked = await harness.services.auth.listAudit({ action: "auth.identity.linked", limit: 5 })
      assert.deepEqual(
        linked.items.map((entry) => entry.details),
        [{ provider: "github", subject: "4242" }],
      )
      // The state is spent.
      expectError(await callback(back), 400, "OIDC_STATE_INVALID")
    })

    test("GitHub: a tampered code or a foreign state is refused; an unverified primary address gets no account", async () => {
      const back = await atGithub(await start(), "octo")
      const tampered = new URL(back)
      tampered.searchParams.set("code", "not-issued")
      const requestsBefore = github.state.tokenRequests
      expectError(await callback(tampered), 401, "OIDC_FAILED")
      assert.equal(github.state.tokenRequests, requestsBefore + 1)
      const forged = await atGithub(await start(), "octo")
      forged.searchParams.set("state", "forged")
      expectError(await callback(forged), 400, "OIDC_STATE_INVALID")
      const sneaky = await callback(await atGithub(await start(), "sneaky"))
      expectError(sneaky, 403, "OIDC_NO_ACCOUNT")
      assert.equal(sneaky.cookies.length, 0)
      const identities = await harness.services.store.identities.find("github", "666")
      assert.equal(identities, undefined)
    })
  })
}
