import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { testOwner } from "@xionimus/testing"
import { ApiError, createAuthClient, csrfTokenFromCookie } from "../src/index.ts"
import { startTestServer, type TestServer } from "./support/test-server.ts"

describe("SDK auth client (real server)", () => {
  let server: TestServer
  before(async () => {
    server = await startTestServer()
  })
  after(() => server.close())

  test("status, providers, sign-in and a wrong password", async () => {
    const anonymous = createAuthClient({ baseUrl: server.url })
    assert.deepEqual(await anonymous.status(), {
      setupRequired: false,
      setupFromHere: false,
      principal: null,
    })
    assert.deepEqual(await anonymous.providers(), [])
    const user = await anonymous.login({ email: testOwner.email, password: testOwner.password })
    assert.equal(user.email, testOwner.email)
    const wrong = await anonymous
      .login({ email: testOwner.email, password: "not the password" })
      .catch((error) => error)
    assert.ok(wrong instanceof ApiError)
    assert.equal(wrong.code, "AUTH_INVALID")
    assert.equal(wrong.status, 401)
    const signedIn = await createAuthClient({ baseUrl: server.url, headers: server.headers }).status()
    assert.equal(signedIn.principal?.via, "api-key")
  })

  test("csrfTokenFromCookie reads the readable cookie among others", () => {
    assert.equal(csrfTokenFromCookie("theme=dark; xionimus_csrf=abc%2Bdef; other=1"), "abc+def")
    assert.equal(csrfTokenFromCookie("theme=dark"), undefined)
    assert.equal(csrfTokenFromCookie(""), undefined)
  })
})
