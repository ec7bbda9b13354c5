// GET /api/sessions/:id/calls/:callId/diff over the real engine, SQLite, real checkpoints (hidden git) and
// the sandbox: a scripted turn edits a file and runs a command that writes two more; each call's diff is
// exactly its own change, also after the file changed again; readers may look, strangers may not.
import assert from "node:assert/strict"
import { after, before, test } from "node:test"
import type { CallDiff, StoredEvent } from "@xionimus/protocol"
import { createScriptedModel } from "@xionimus/testing"
import { expectError } from "./support/expect-error.ts"
import { createSession, createSessionTestApp, sendMessage, sessionEvents } from "./support/session-app.ts"
import { createTeamFixture, type TeamFixture } from "./support/team-fixture.ts"
import type { TestApp } from "./support/test-app.ts"

const model = createScriptedModel()
let harness: TestApp
let team: TeamFixture

before(async () => {
  harness = await createSessionTestApp(model, { config: { agent: { mode: "full-auto" } } })
  team = await createTeamFixture(harness, "calldiff")
})
after(async () => {
  await harness.close()
  model.verify()
})

const diffOf = (sessionId: string, callId: string, headers: Record<string, string>) =>
  harness.app.inject({ method: "GET", url: `/api/sessions/${sessionId}/calls/${callId}/diff`, headers })

const callIdsOf = (events: StoredEvent[], tool: string) =>
  events
    .filter((event) => event.type === "tool.called" && (event.data as { tool: string }).tool === tool)
    .map((event) => (event.data as { callId: string }).callId)

async function writeProjectFile(path: string, content: string): Promise<void> {
  const response = await harness.app.inject({
    method: "PUT",
    url: `/api/projects/${team.projectId}/files`,
    headers: team.owner.headers,
    payload: { path, content },
  })
  assert.equal(response.statusCode, 200, response.body)
}

test("each call's diff holds exactly the files it changed, before and after, whatever changed since", async () => {
  await writeProjectFile("notes.txt", "first line\nsecond line\n")
  const session = await createSession(harness.app, team.projectId, { title: "Diffs" }, team.owner.headers)
  model.enqueue(
    {
      toolCalls: [
        {
          name: "edit",
          input: { path: "notes.txt", edits: [{ oldText: "second line", newText: "2nd line" }] },
        },
      ],
    },
    {
      toolCalls: [
        {
          name: "run",
          input: { command: "printf 'made by run\\n' > out.txt && printf 'a\\000b' > blob.bin" },
        },
      ],
    },
    { toolCalls: [{ name: "run", input: { command: "cat notes.txt" } }] },
    { text: "Done." },
  )
  await sendMessage(harness.app, session.id, "Edit the notes, then make out.txt", team.owner.headers)
  await harness.services.sessions.idle(session.id)
  const events = await sessionEvents(harness.app, session.id)
  const [editCall] = callIdsOf(events, "edit")
  const [runCall, quietRunCall] = callIdsOf(events, "run")
  assert.ok(editCall && runCall && quietRunCall, JSON.stringify(events.map((event) => event.type)))

  // Changed again after the turn: the diffs still show the calls' own changes.
  await writeProjectFile("notes.txt", "rewritten by hand\n")
  await writeProjectFile("out.txt", "also rewritten\n")

  const edited = await diffOf(session.id, editCall, team.owner.headers)
  assert.equal(edited.statusCode, 200, edited.body)
  const editDiff = edited.json() as CallDiff
  assert.equal(editDiff.tool, "edit")
  assert.match(editDiff.to, /^[0-9a-f]{40}$/)
  assert.match(editDiff.from ?? "", /^[0-9a-f]{40}$/)
  assert.equal(editDiff.truncated, false)
  assert.deepEqual(editDiff.files, [
    {
      path: "notes.txt",
      change: "modified",
      additions: 1,
      deletions: 1,
      omitted: null,
      before: "first line\nsecond line\n",
      after: "first line\n2nd line\n",
    },
  ])

  // A viewer may read it (project:read).
  const ran = await diffOf(session.id, runCall, team.viewer.headers)
  assert.equal(ran.statusCode, 200, ran.body)
  const runDiff = ran.json() as CallDiff
  assert.equal(runDiff.tool, "run")
  assert.equal(runDiff.from, editDiff.to, "the run's checkpoint follows the edit's")
  assert.deepEqual(
    [...runDiff.files].sort((a, b) => a.path.localeCompare(b.path)),
    [
      {
        path: "blob.bin",
        change: "added",
        additions: null,
        deletions: null,
        omitted: "binary",
        before: null,
        after: null,
      },
      {
        path: "out.txt",
        change: "added",
        additions: 1,
        deletions: 0,
        omitted: null,
        before: null,
        after: "made by run\n",
      },
    ],
  )

  // A command that changed nothing has no checkpoint of its own.
  expectError(await diffOf(session.id, quietRunCall, team.owner.headers), 404, "CALL_NOT_RECORDED")
  expectError(await diffOf(session.id, "call_unknown", team.owner.headers), 404, "CALL_NOT_FOUND")
  // Someone outside the project's team does not learn that the session exists.
  expectError(await diffOf(session.id, editCall, team.stranger.headers), 404, "SESSION_NOT_FOUND")
  expectError(
    await diffOf("ses_doesnotexist0000000000", editCall, team.owner.headers),
    404,
    "SESSION_NOT_FOUND",
  )
})
