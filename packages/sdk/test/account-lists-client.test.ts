import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { type AccountClient, ApiError, createAccountClient } from "../src/index.ts"
import { startTestServer, type TestServer } from "./support/test-server.ts"

describe("SDK account client: users, members and invitations a page at a time, or all of them (real server)", () => {
  let server: TestServer
  let account: AccountClient
  /** A client whose requests for 200 rows ask the real server for 2, so that following pages shows with few rows. */
  let small: AccountClient
  const requested: string[] = []
  const words = ["papa", "oscar", "romeo", "quebec", "november"]
  let teamId: string

  before(async () => {
    server = await startTestServer()
    account = createAccountClient({ baseUrl: server.url, headers: server.headers })
    small = createAccountClient({
      baseUrl: server.url,
      headers: server.headers,
      fetch: (input, init) => {
        const url = String(input).replace("limit=200", "limit=2")
        requested.push(url)
        return globalThis.fetch(url, init)
      },
    })
    const [team] = await account.teams()
    teamId = team!.id
    for (const word of words) {
      const response = await fetch(`${server.url}/api/users`, {
        method: "POST",
        headers: { ...server.headers, "content-type": "application/json" },
        body: JSON.stringify({ email: `${word}@listed.example.test`, password: "a long enough passphrase" }),
      })
      const text = await response.text()
      assert.equal(response.status, 201, text)
      const { id } = JSON.parse(text) as { id: string }
      await account.setRole(teamId, id, "viewer")
    }
  })
  after(() => server?.close())

  test("usersPage answers a page and its nextCursor; q narrows; a foreign cursor is VALIDATION_FAILED", async () => {
    const first = await account.usersPage({ limit: 2, q: "LISTED" })
    assert.deepEqual(
      first.items.map((user) => user.email),
      ["november@listed.example.test", "oscar@listed.example.test"],
    )
    assert.ok(first.nextCursor)
    const second = await account.usersPage({ limit: 10, q: "listed", cursor: first.nextCursor })
    assert.deepEqual(
      second.items.map((user) => user.email),
      ["papa@listed.example.test", "quebec@listed.example.test", "romeo@listed.example.test"],
    )
    assert.equal(second.nextCursor, null)
    const members = await account.membersPage(teamId, { limit: 1 })
    await assert.rejects(account.usersPage({ cursor: members.nextCursor! }), (error: unknown) => {
      assert.ok(error instanceof ApiError)
      assert.equal(error.code, "VALIDATION_FAILED")
      assert.match(error.message, /first page/)
      return true
    })
  })

  test("users() follows nextCursor to the last page and returns every user once", async () => {
    requested.length = 0
    const users = await small.users()
    const emails = users.map((user) => user.email)
    assert.equal(emails.length, words.length + 1, "the owner and the five")
    assert.deepEqual(emails, [...new Set(emails)].sort())
    assert.equal(requested.length, 3, requested.join("\n"))
    assert.ok(requested.slice(1).every((url) => url.includes("cursor=")))
  })

  test("membersPage and members() list the team in the order its members joined", async () => {
    const page = await account.membersPage(teamId, { limit: 4 })
    assert.equal(page.items.length, 4)
    assert.equal(page.items[0]?.role, "owner")
    assert.ok(page.nextCursor)
    requested.length = 0
    const members = await small.members(teamId)
    assert.deepEqual(
      members.slice(1).map((member) => member.email),
      words.map((word) => `${word}@listed.example.test`),
    )
    assert.equal(requested.length, 3)
  })

  test("invitations() follows nextCursor to every pending invitation; invitationsPage answers a page", async () => {
    requested.length = 0
    for (const word of words.slice(0, 3))
      await account.invite(teamId, {
        email: `${word}@invited.example.test`,
        role: "editor",
        expiresInDays: 2,
      })
    const all = await small.invitations(teamId)
    assert.equal(requested.length, 2, requested.join("\n"))
    assert.deepEqual(
      all.map((invitation) => invitation.email).sort(),
      words
        .slice(0, 3)
        .map((word) => `${word}@invited.example.test`)
        .sort(),
    )
    const first = await account.invitationsPage(teamId, { limit: 2 })
    assert.ok(first.nextCursor)
    const rest = await account.invitationsPage(teamId, { limit: 2, cursor: first.nextCursor })
    assert.equal(rest.nextCursor, null)
    assert.deepEqual(
      [...first.items, ...rest.items].map((invitation) => invitation.id),
      all.map((invitation) => invitation.id),
      "newest first, each once",
    )
  })
})
