import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, test } from "node:test"
import { newId } from "@xionimus/kit"
import { openStore, type Store } from "@xionimus/store"
import { createTestSchema } from "@xionimus/testing"

/** Follows `nextCursor` from the first page to the last, `limit` rows at a time. */
async function everyPage<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<T[][]> {
  const pages: T[][] = []
  let cursor: string | undefined
  do {
    const answer = await page(cursor)
    pages.push(answer.items)
    cursor = answer.nextCursor ?? undefined
  } while (cursor !== undefined && pages.length < 100)
  return pages
}

const rejectsCursor = (promise: Promise<unknown>) =>
  assert.rejects(promise, (error: { code?: string; message?: string }) => {
    assert.equal(error.code, "VALIDATION_FAILED")
    assert.match(error.message ?? "", /first page/)
    return true
  })

function accountListSuite(name: string, open: () => Promise<Store>) {
  describe(`users, team members and invitations a page at a time on ${name}`, () => {
    let store: Store
    let teamId: string
    // Created out of alphabetical order, and two joining at the same instant, so that the order is the key's.
    const emails = ["delta", "alpha", "echo", "charlie", "bravo", "foxtrot", "golf"].map(
      (word) => `${word}@lists.example.test`,
    )
    const userIds = new Map<string, string>()
    before(async () => {
      store = await open()
      for (const email of emails) {
        const id = newId("usr")
        userIds.set(email, id)
        const name = email === "golf@lists.example.test" ? "Zoë Ångström" : email.split("@")[0]!.toUpperCase()
        await store.auth.createUser({ id, email, name, passwordHash: null, admin: false })
      }
      teamId = newId("tem")
      await store.teams.createTeam(
        { id: teamId, name: "Lists", createdAt: "2026-01-01T00:00:00.000Z" },
        { userId: userIds.get(emails[0]!)! },
      )
      const joined = [
        "2026-01-03T00:00:00.000Z",
        "2026-01-02T00:00:00.000Z",
        "2026-01-02T00:00:00.000Z",
        "2026-01-05T00:00:00.000Z",
        "2026-01-04T00:00:00.000Z",
        "2026-01-02T00:00:00.000Z",
      ]
      for (const [index, email] of emails.slice(1).entries())
        await store.teams.setMember(teamId, userIds.get(email)!, "viewer", joined[index]!)
    })
    after(() => store.close())

    test("users come by e-mail address, each once, across pages of two", async () => {
      const pages = await everyPage((cursor) => store.auth.listUsersPage({ limit: 2, cursor }))
      assert.deepEqual(
        pages.map((page) => page.length),
        [2, 2, 2, 1],
      )
      assert.deepEqual(
        pages.flat().map((user) => user.email),
        [...emails].sort(),
      )
      const whole = await store.auth.listUsersPage({ limit: 200 })
      assert.equal(whole.nextCursor, null)
      assert.equal(whole.items.length, emails.length)
      assert.equal(whole.items[0]?.passwordHash, null, "a record of the store, with its hash field")
    })

    test("q keeps users whose e-mail or name contains it, in any case, and pages within them", async () => {
      const emailsOf = async (q: string, limit = 10) =>
        (await everyPage((cursor) => store.auth.listUsersPage({ limit, cursor, q })))
          .flat()
          .map((user) => user.email)
      assert.deepEqual(await emailsOf("ALPHA"), ["alpha@lists.example.test"])
      assert.deepEqual(await emailsOf("RAVO"), ["bravo@lists.example.test"], "by name (upper case stored)")
      assert.deepEqual(await emailsOf("zoë"), ["golf@lists.example.test"], "ASCII folding is enough for z")
      assert.deepEqual(await emailsOf("lists.example", 3), [...emails].sort())
      assert.deepEqual(await emailsOf("50%_\\"), [], "LIKE's wildcards are taken literally")
      assert.deepEqual(await emailsOf("nobody"), [])
    })

    test("members come in the order they joined, ties by user id, each once, across pages", async () => {
      const expected = (await store.teams.members(teamId)).map((member) => member.userId)
      assert.equal(expected.length, emails.length)
      const pages = await everyPage((cursor) => store.teams.membersPage(teamId, { limit: 3, cursor }))
      assert.deepEqual(
        pages.map((page) => page.length),
        [3, 3, 1],
      )
      const listed = pages.flat()
      assert.deepEqual(
        listed.map((member) => member.userId),
        expected,
      )
      const keys = listed.map((member) => `${member.createdAt} ${member.userId}`)
      assert.deepEqual(keys, [...keys].sort(), "join time, then user id")
      assert.equal(listed[0]?.role, "owner")
      assert.equal(listed[0]?.email, emails[0])
      const other = newId("tem")
      await store.teams.createTeam(
        { id: other, name: "Other", createdAt: new Date().toISOString() },
        { userId: userIds.get(emails[1]!)! },
      )
      assert.deepEqual(
        (await store.teams.membersPage(other, { limit: 50 })).items.map((member) => member.userId),
        [userIds.get(emails[1]!)],
      )
    })

    test("open invitations come newest first, each once, across pages; closed ones stay out", async () => {
      const now = "2026-06-01T00:00:00.000Z"
      const created: string[] = []
      for (let index = 0; index < 7; index++) {
        const id = newId("inv")
        created.push(id)
        await store.teams.createInvitation({
          id,
          tokenHash: `hash-${id}`,
          teamId,
          email: `invited-${index}@lists.example.test`,
          role: "editor",
          createdBy: userIds.get(emails[0]!)!,
          // Three share one instant: their order is the id's, newest (largest) first.
          createdAt: `2026-05-0${Math.min(index, 4) + 1}T00:00:00.000Z`,
          expiresAt: index === 6 ? "2026-05-31T00:00:00.000Z" : "2026-07-01T00:00:00.000Z",
          acceptedAt: null,
        })
      }
      await store.teams.takeInvitation(`hash-${created[0]}`, now)
      const pages = await everyPage((cursor) =>
        store.accountSettings.pendingInvitationsPage(teamId, now, { limit: 2, cursor }),
      )
      assert.deepEqual(
        pages.map((page) => page.length),
        [2, 2, 1],
      )
      const listed = pages.flat().map((invitation) => invitation.id)
      assert.deepEqual(
        listed,
        (await store.accountSettings.pendingInvitations(teamId, now)).map((invitation) => invitation.id),
      )
      assert.deepEqual([...listed].sort(), created.slice(1, 6).sort(), "neither the accepted nor the expired")
      assert.deepEqual(listed.slice(0, 2), [created[5], created[4]], "ties newest id first")
      assert.equal(pages[0]?.[0]?.invitedBy.email, emails[0])
    })

    test("a malformed cursor, or another list's, is VALIDATION_FAILED saying to start again", async () => {
      const users = await store.auth.listUsersPage({ limit: 1 })
      const members = await store.teams.membersPage(teamId, { limit: 1 })
      assert.ok(users.nextCursor && members.nextCursor)
      await rejectsCursor(store.auth.listUsersPage({ limit: 1, cursor: "not-a-cursor" }))
      await rejectsCursor(store.auth.listUsersPage({ limit: 1, cursor: members.nextCursor }))
      await rejectsCursor(store.teams.membersPage(teamId, { limit: 1, cursor: users.nextCursor }))
      await rejectsCursor(
        store.accountSettings.pendingInvitationsPage(teamId, new Date().toISOString(), {
          limit: 1,
          cursor: members.nextCursor,
        }),
      )
      const forged = Buffer.from(JSON.stringify(["users", 7, "x"])).toString("base64url")
      await rejectsCursor(store.auth.listUsersPage({ limit: 1, cursor: forged }))
    })
  })
}

let directory: string
before(async () => {
  directory = await mkdtemp(join(tmpdir(), "xionimus-account-lists-"))
})
after(async () => {
  await rm(directory, { recursive: true, force: true })
})
accountListSuite("SQLite", () => openStore({ sqlitePath: join(directory, "lists.sqlite") }))

// Fails (never skips) when PostgreSQL is unreachable.
const schema = createTestSchema()
after(() => schema.drop())
accountListSuite("PostgreSQL", () => openStore({ databaseUrl: schema.url, schema: schema.schema }))
