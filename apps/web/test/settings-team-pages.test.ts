// The team settings store pages through members and open invitations ("Show more"), over a fake account
// client that answers two rows a page (the server's paging itself is tested in packages/server).
import assert from "node:assert/strict"
import { test } from "node:test"
import type { AccountClient } from "@xionimus/sdk"
import { createTeamSettings, teamPageSize } from "../src/stores/settings-team-store.ts"

function fakeAccount(members: string[], invitations: string[]) {
  const asked: string[] = []
  const page = <T>(items: T[], cursor: string | undefined) => {
    const start = cursor ? Number(cursor) : 0
    const next = start + 2
    return { items: items.slice(start, next), nextCursor: next < items.length ? String(next) : null }
  }
  const account = {
    me: async () => ({ user: { id: "usr_owner", admin: false } }),
    teams: async () => [{ id: "tem_1", name: "One", createdAt: "2026-12-01T00:00:00.000Z", role: "owner" }],
    membersPage: async (teamId: string, options: { limit?: number; cursor?: string }) => {
      asked.push(`members ${teamId} ${options.limit} ${options.cursor ?? "-"}`)
      return page(
        members.map((userId) => ({ userId, role: "member" })),
        options.cursor,
      )
    },
    invitationsPage: async (teamId: string, options: { limit?: number; cursor?: string }) => {
      asked.push(`invitations ${teamId} ${options.limit} ${options.cursor ?? "-"}`)
      return page(
        invitations.map((id) => ({ id })),
        options.cursor,
      )
    },
  }
  return { account: account as unknown as AccountClient, asked }
}

test("members and open invitations come a page at a time; Show more appends the next page", async () => {
  const { account, asked } = fakeAccount(
    ["usr_a", "usr_b", "usr_c"],
    ["inv_1", "inv_2", "inv_3", "inv_4", "inv_5"],
  )
  const team = createTeamSettings(account)
  await team.load()
  let state = team.state.get()
  assert.deepEqual(
    state.members.map((member) => member.userId),
    ["usr_a", "usr_b"],
  )
  assert.equal(state.membersCursor, "2")
  assert.deepEqual(
    state.pending.map((invitation) => invitation.id),
    ["inv_1", "inv_2"],
  )
  assert.equal(await team.moreMembers(), null)
  state = team.state.get()
  assert.deepEqual(
    state.members.map((member) => member.userId),
    ["usr_a", "usr_b", "usr_c"],
  )
  assert.equal(state.membersCursor, null, "the last page")
  assert.equal(await team.morePending(), null)
  assert.equal(await team.morePending(), null)
  state = team.state.get()
  assert.deepEqual(
    state.pending.map((invitation) => invitation.id),
    ["inv_1", "inv_2", "inv_3", "inv_4", "inv_5"],
  )
  assert.equal(state.pendingCursor, null)
  // Nothing more to ask for: no request.
  const before = asked.length
  assert.equal(await team.moreMembers(), null)
  assert.equal(asked.length, before)
  assert.deepEqual(asked.slice(0, 3).sort(), [
    `invitations tem_1 ${teamPageSize} -`,
    `members tem_1 ${teamPageSize} -`,
    `members tem_1 ${teamPageSize} 2`,
  ])
})
