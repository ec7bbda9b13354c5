import assert from "node:assert/strict"
import type { FastifyInstance, LightMyRequestResponse } from "fastify"

/** A browser session as inject() sees it: the cookies to send back and the CSRF header. */
export interface BrowserSession {
  cookies: Record<string, string>
  headers: Record<string, string>
}

export function sessionOf(response: LightMyRequestResponse): BrowserSession {
  const cookies = Object.fromEntries(response.cookies.map((cookie) => [cookie.name, cookie.value]))
  assert.ok(cookies.xionimus_session, `no session cookie in ${JSON.stringify(response.cookies)}`)
  // No key: the harness would otherwise add the owner's bearer key.
  return { cookies, headers: { authorization: "", "x-csrf-token": cookies.xionimus_csrf ?? "" } }
}

export async function signIn(app: FastifyInstance, email: string, password: string): Promise<BrowserSession> {
  const response = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    headers: { authorization: "" },
    payload: { email, password },
  })
  assert.equal(response.statusCode, 200, response.body)
  return sessionOf(response)
}

/** The password `createUser` gives the users it creates. */
export const userPassword = "a long enough passphrase"

/** Creates a user through the admin API (as the harness owner) and returns its id. */
export async function createUser(app: FastifyInstance, email: string, admin = false): Promise<string> {
  const response = await app.inject({
    method: "POST",
    url: "/api/users",
    payload: { email, password: userPassword, admin },
  })
  assert.equal(response.statusCode, 201, response.body)
  return (response.json() as { id: string }).id
}

/** An API key of the signed-in session's user. */
export async function createKey(app: FastifyInstance, session: BrowserSession, scope: string, extra = {}) {
  const response = await app.inject({
    method: "POST",
    url: "/api/api-keys",
    ...session,
    payload: { scope, ...extra },
  })
  assert.equal(response.statusCode, 201, response.body)
  return response.json() as { apiKey: { id: string; prefix: string }; secret: string }
}

export const anonymous = { authorization: "" }
