import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import type { LightMyRequestResponse } from "fastify"
import { expectError, failedFields } from "../support/expect-error.ts"
import { createTeamFixture, type TeamFixture } from "../support/team-fixture.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

interface Page<T> {
  items: T[]
  nextCursor: string | null
}

/** The user, member and invitation lists a page at a time (?limit&cursor, {items, nextCursor}); who may list them. */
export function accountListTests(): void {
  describe("users, team members and invitations, a page at a time", () => {
    let harness: TestApp
    let fixture: TeamFixture
    before(async () => {
      harness = await createTestApp()
      fixture = await createTeamFixture(harness, "pages")
      // Out of alphabetical order, so that the answer's order is the e-mail address's.
      for (const word of ["kilo", "india", "lima", "juliet", "mike"]) {
        const created = await harness.app.inject({
          method: "POST",
          url: "/api/users",
          payload: {
            email: `${word}@paged.example.test`,
            name: `Paged ${word.toUpperCase()}`,
            password: "a long enough passphrase",
          },
        })
        assert.equal(created.statusCode, 201, created.body)
      }
    })
    after(() => harness.close())

    /** Every page of `url` (which has a query already), `limit` at a time, as `headers`. */
    const pagesOf = async <T>(url: string, headers: Record<string, string> = {}): Promise<T[][]> => {
      const pages: T[][] = []
      let cursor: string | null = null
      do {
        const response: LightMyRequestResponse = await harness.app.inject({
          method: "GET",
          url: cursor ? `${url}&cursor=${encodeURIComponent(cursor)}` : url,
          headers,
        })
        assert.equal(response.statusCode, 200, response.body)
        const page = response.json() as Page<T>
        assert.deepEqual(Object.keys(page).sort(), ["items", "nextCursor"])
        pages.push(page.items)
        cursor = page.nextCursor
      } while (cursor !== null && pages.length < 20)
      return pages
    }

    test("GET /api/users pages by e-mail address, each user once; q finds one person", async () => {
      const pages = await pagesOf<{ email: string; name: string }>("/api/users?limit=2&q=paged.example")
      assert.deepEqual(
        pages.map((page) => page.length),
        [2, 2, 1],
      )
      assert.deepEqual(
        pages.flat().map((user) => user.email),
        ["india", "juliet", "kilo", "lima", "mike"].map((word) => `${word}@paged.example.test`),
      )
      const everyone = await harness.app.inject({ method: "GET", url: "/api/users" })
      const all = everyone.json() as Page<{ email: string; admin: boolean }>
      assert.equal(all.nextCursor, null, "50 by default: all ten fit")
      assert.equal(all.items.length, 10, "the owner, the fixture's four and the five above")
      const emails = all.items.map((user) => user.email)
      assert.deepEqual(emails, [...emails].sort())
      assert.ok(!JSON.stringify(all).includes("passwordHash"))
      const byName = await harness.app.inject({ method: "GET", url: "/api/users?q=%20paged%20JULIET%20" })
      assert.deepEqual(
        (byName.json() as Page<{ email: string }>).items.map((user) => user.email),
        ["juliet@paged.example.test"],
        "by name, in any case, spaces trimmed",
      )
    })

    test("a bad limit or cursor is VALIDATION_FAILED; the cursor's message says to start again", async () => {
      for (const limit of ["0", "201", "ten"])
        expectError(
          await harness.app.inject({ method: "GET", url: `/api/users?limit=${limit}` }),
          400,
          "VALIDATION_FAILED",
        )
      const members = await harness.app.inject({
        method: "GET",
        url: `/api/teams/${fixture.teamId}/members?limit=1`,
        headers: fixture.owner.headers,
      })
      const memberCursor = (members.json() as Page<unknown>).nextCursor
      assert.ok(memberCursor)
      for (const cursor of ["garbage", memberCursor]) {
        const body = expectError(
          await harness.app.inject({ method: "GET", url: `/api/users?cursor=${encodeURIComponent(cursor)}` }),
          400,
          "VALIDATION_FAILED",
        )
        assert.match(body.error.message, /first page/)
        assert.deepEqual(failedFields(body), ["cursor"])
      }
      const users = await harness.app.inject({ method: "GET", url: "/api/users?limit=1" })
      const userCursor = (users.json() as Page<unknown>).nextCursor!
      expectError(
        await harness.app.inject({
          method: "GET",
          url: `/api/teams/${fixture.teamId}/members?cursor=${encodeURIComponent(userCursor)}`,
          headers: fixture.owner.headers,
        }),
        400,
        "VALIDATION_FAILED",
      )
    })

    test("only instance administrators list users, whatever the page asked for", async () => {
      for (const url of ["/api/users", "/api/users?limit=1", "/api/users?q=paged"])
        expectError(
          await harness.app.inject({ method: "GET", url, headers: fixture.owner.headers }),
          403,
          "FORBIDDEN",
        )
    })

    test("members page in the order they joined; any member may list, another team's owner may not", async () => {
      const pages = await pagesOf<{ email: string; role: string }>(
        `/api/teams/${fixture.teamId}/members?limit=2`,
        fixture.viewer.headers,
      )
      assert.deepEqual(
        pages.map((page) => page.length),
        [2, 1],
      )
      assert.deepEqual(
        pages.flat().map((member) => [member.email, member.role]),
        [
          [fixture.owner.email, "owner"],
          [fixture.editor.email, "editor"],
          [fixture.viewer.email, "viewer"],
        ],
      )
      const stranger = await harness.app.inject({
        method: "GET",
        url: `/api/teams/${fixture.teamId}/members?limit=1`,
        headers: fixture.stranger.headers,
      })
      expectError(stranger, 404, "TEAM_NOT_FOUND")
    })

    test("invitations page newest first for owners; a member who is not an owner still cannot list them", async () => {
      for (const who of [fixture.editor, fixture.viewer])
        expectError(
          await harness.app.inject({
            method: "GET",
            url: `/api/teams/${fixture.teamId}/invitations`,
            headers: who.headers,
          }),
          403,
          "FORBIDDEN",
        )
      for (const word of ["one", "two", "three"]) {
        const sent = await harness.app.inject({
          method: "POST",
          url: `/api/teams/${fixture.teamId}/invitations`,
          headers: fixture.owner.headers,
          payload: { email: `${word}@invited.example.test`, role: "viewer" },
        })
        assert.equal(sent.statusCode, 201, sent.body)
      }
      const pages = await pagesOf<{ email: string; createdAt: string }>(
        `/api/teams/${fixture.teamId}/invitations?limit=2`,
        fixture.owner.headers,
      )
      assert.deepEqual(
        pages.map((page) => page.length),
        [2, 1],
      )
      assert.deepEqual(
        pages
          .flat()
          .map((invitation) => invitation.email)
          .sort(),
        ["one", "three", "two"].map((word) => `${word}@invited.example.test`),
      )
      const times = pages.flat().map((invitation) => invitation.createdAt)
      assert.deepEqual(times, [...times].sort().reverse(), "newest first")
      const users = await harness.app.inject({ method: "GET", url: "/api/users?limit=1" })
      expectError(
        await harness.app.inject({
          method: "GET",
          url: `/api/teams/${fixture.teamId}/invitations?cursor=${(users.json() as Page<unknown>).nextCursor}`,
          headers: fixture.owner.headers,
        }),
        400,
        "VALIDATION_FAILED",
      )
    })
  })
}
