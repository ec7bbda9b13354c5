import assert from "node:assert/strict"
import type { TestApp } from "./test-app.ts"

export interface Member {
  id: string
  email: string
  /** `{ authorization: "Bearer xk_…" }` of a write-scope key. */
  headers: Record<string, string>
}

export interface TeamFixture {
  /** Owner of team A (not an instance admin). */
  owner: Member
  editor: Member
  viewer: Member
  /** Owner of another team, B. */
  stranger: Member
  teamId: string
  strangerTeamId: string
  /** A project of team A. */
  projectId: string
}

async function member(harness: TestApp, email: string): Promise<Member> {
  const response = await harness.app.inject({
    method: "POST",
    url: "/api/users",
    payload: { email, password: "a long enough passphrase" },
  })
  assert.equal(response.statusCode, 201, response.body)
  const id = (response.json() as { id: string }).id
  const { secret } = await harness.services.auth.createApiKey(
    { userId: id, name: "fixture", scope: "write" },
    { userId: id, keyId: null, ip: null, userAgent: null },
  )
  return { id, email, headers: { authorization: `Bearer ${secret}` } }
}

/**
 * Team A (owner, editor, viewer) with one project, and a stranger who owns team B — each user with a
 * write-scope API key. Every user got a team of their own when created; the owner's is team A.
 */
export async function createTeamFixture(harness: TestApp, label: string): Promise<TeamFixture> {
  const owner = await member(harness, `owner-${label}@example.test`)
  const editor = await member(harness, `editor-${label}@example.test`)
  const viewer = await member(harness, `viewer-${label}@example.test`)
  const stranger = await member(harness, `stranger-${label}@example.test`)
  const teamOf = async (who: Member) => {
    const teams = await harness.app.inject({ method: "GET", url: "/api/teams", headers: who.headers })
    return (teams.json() as { items: { id: string }[] }).items[0]!.id
  }
  const teamId = await teamOf(owner)
  for (const [who, role] of [
    [editor, "editor"],
    [viewer, "viewer"],
  ] as const) {
    const added = await harness.app.inject({
      method: "PUT",
      url: `/api/teams/${teamId}/members/${who.id}`,
      headers: owner.headers,
      payload: { role },
    })
    assert.equal(added.statusCode, 204, added.body)
  }
  const project = await harness.app.inject({
    method: "POST",
    url: "/api/projects",
    headers: owner.headers,
    payload: { name: `Project ${label}`, teamId },
  })
  assert.equal(project.statusCode, 201, project.body)
  return {
    owner,
    editor,
    viewer,
    stranger,
    teamId,
    strangerTeamId: await teamOf(stranger),
    projectId: (project.json() as { id: string }).id,
  }
}
