// One turn over HTTP (inject) over the real engine, SQLite, workspaces, git checkpoints and the scripted
// model — a permission question answered — and what its log then allows: rewind (preview, undo), fork,
// export/import as JSON and Markdown, read-only share links. The tests run in order on the same session.
import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { before, describe, test } from "node:test"
import type { Session, Share, StoredEvent } from "@xionimus/protocol"
import { createScriptedModel } from "@xionimus/testing"
import { auditEntries } from "./support/audit-entries.ts"
import { createProject, expectError } from "./support/expect-error.ts"
import {
  assistantText,
  createSession,
  createSessionTestApp,
  sendMessage,
  sessionEvents,
  typesOf,
  waitForEvent,
} from "./support/session-app.ts"
import { sharedTestApp } from "./support/shared-test-app.ts"
import { anonymous } from "./support/sign-in.ts"

const model = createScriptedModel()
const harness = sharedTestApp(
  () => createSessionTestApp(model, { app: { rateLimits: { sharedPerMinute: 1000 } } }),
  () => model.verify(),
)

describe("a turn over HTTP", () => {
  let project: { id: string }
  let session: Session
  let events: StoredEvent[]

  before(async () => {
    project = await createProject(harness.app, "Turns")
    session = await createSession(harness.app, project.id, { title: "Write a file" })
  })

  test("a message starts a turn; an edit asks; allowing it lets the turn finish", async () => {
    model.enqueue(
      {
        text: "I will write it. ",
        toolCalls: [{ name: "write_file", input: { path: "hello.txt", content: "hi\n" } }],
      },
      { text: "Done." },
    )
    const sent = await sendMessage(harness.app, session.id, "Write hello.txt")
    assert.equal(sent.queued, false)
    const asked = await waitForEvent(harness.app, session.id, "permission.asked")
    const request = asked.data as { id: string; tool: string }
    assert.equal(request.tool, "write_file")

    const paused = await harness.app.inject({ method: "GET", url: `/api/sessions/${session.id}` })
    assert.equal((paused.json() as Session).runState, "paused")

    const decided = await harness.app.inject({
      method: "POST",
      url: `/api/sessions/${session.id}/permissions`,
      payload: { requestId: request.id, decision: { kind: "allow-once" } },
    })
    assert.equal(decided.statusCode, 204, decided.body)
    await harness.services.sessions.idle(session.id)

    events = await sessionEvents(harness.app, session.id)
    const types = typesOf(events)
    assert.equal(types[0], "session.created")
    for (const type of [
      "message.created",
      "turn.started",
      "tool.called",
      "permission.decided",
      "turn.ended",
    ]) {
      assert.ok(types.includes(type), `${type} in ${types.join(", ")}`)
    }
    assert.deepEqual(
      events.map((event) => event.seq),
      events.map((_, index) => index + 1),
      "gap-free seqs",
    )
    assert.equal((events.at(-1)!.data as { outcome: string }).outcome, "completed")
    assert.equal(assistantText(events), "I will write it. Done.")
    const written = await readFile(join(harness.dataDir, "workspaces", project.id, "hello.txt"), "utf8")
    assert.equal(written, "hi\n")
    // The agent's change shows in the project's activity like an edit through the file routes.
    const activity = await harness.app.inject({ method: "GET", url: `/api/streams/${project.id}/events` })
    const changes = (activity.json() as { items: StoredEvent[] }).items.filter(
      (event) => event.type === "file.changed",
    )
    const called = events.find(
      (event) => event.type === "tool.called" && (event.data as { tool: string }).tool === "write_file",
    )
    assert.deepEqual(
      changes.map((event) => event.data),
      [
        {
          path: "hello.txt",
          change: "created",
          entryType: "file",
          // The agent made it: its session and the tool call.
          by: { sessionId: session.id, callId: (called?.data as { callId: string } | undefined)?.callId },
        },
      ],
    )
    assert.ok(
      (await auditEntries(harness, "session.permission.decided")).some(
        (entry) => entry.target === session.id,
      ),
    )

    // The page answer carries the session with its head.
    const page = await harness.app.inject({
      method: "GET",
      url: `/api/sessions/${session.id}/events?after=2&limit=3`,
    })
    const body = page.json() as { items: StoredEvent[]; head: number; session: Session }
    assert.deepEqual(
      body.items.map((event) => event.seq),
      [3, 4, 5],
    )
    assert.equal(body.head, events.length)
    assert.equal(body.session.head, events.length)
    assert.equal(body.session.runState, "idle")
  })

  test("a decision nobody waits for is PERMISSION_REQUEST_NOT_FOUND", async () => {
    expectError(
      await harness.app.inject({
        method: "POST",
        url: `/api/sessions/${session.id}/permissions`,
        payload: { requestId: "per_nothing", decision: { kind: "deny", message: "no" } },
      }),
      404,
      "PERMISSION_REQUEST_NOT_FOUND",
    )
  })

  test("rewind preview, rewind (code and chat), undo", async () => {
    const message = events.find((event) => event.type === "message.created")!
    const messageId = (message.data as { messageId: string }).messageId
    const preview = await harness.app.inject({
      method: "POST",
      url: `/api/sessions/${session.id}/rewind/preview`,
      payload: { messageId },
    })
    assert.equal(preview.statusCode, 200, preview.body)
    const shown = preview.json() as { mode: string; files: { path: string; change: string }[]; diff: string }
    assert.equal(shown.mode, "code-and-chat")
    assert.deepEqual(shown.files, [{ path: "hello.txt", change: "deleted" }])

    const rewound = await harness.app.inject({
      method: "POST",
      url: `/api/sessions/${session.id}/rewind`,
      payload: { messageId },
    })
    assert.equal(rewound.statusCode, 201, rewound.body)
    const revert = rewound.json() as StoredEvent
    assert.equal(revert.type, "session.reverted")
    const file = join(harness.dataDir, "workspaces", project.id, "hello.txt")
    await assert.rejects(readFile(file, "utf8"), { code: "ENOENT" })

    const undone = await harness.app.inject({
      method: "POST",
      url: `/api/sessions/${session.id}/rewind/${revert.id}/undo`,
    })
    assert.equal(undone.statusCode, 201, undone.body)
    assert.equal((undone.json() as { data: { undoes: string } }).data.undoes, revert.id)
    assert.equal(await readFile(file, "utf8"), "hi\n")
  })

  test("fork at the message: a new session with the log up to there", async () => {
    const forked = await harness.app.inject({
      method: "POST",
      url: `/api/sessions/${session.id}/fork`,
      payload: { title: "Forked" },
    })
    assert.equal(forked.statusCode, 201, forked.body)
    const fork = forked.json() as Session
    assert.equal(fork.title, "Forked")
    assert.equal(fork.forkedFrom?.sessionId, session.id)
    const copied = await sessionEvents(harness.app, fork.id)
    assert.ok(copied.some((event) => event.type === "message.created"))
  })

  test("export as JSON and Markdown; import round trip; a changed or newer export is refused", async () => {
    const exported = await harness.app.inject({ method: "GET", url: `/api/sessions/${session.id}/export` })
    assert.equal(exported.statusCode, 200, exported.body)
    assert.match(String(exported.headers["content-type"]), /^application\/json/)
    assert.match(String(exported.headers["content-disposition"]), /^attachment; filename="ses_.*\.json"$/)
    const document = exported.json() as {
      format: string
      version: number
      events: unknown[]
      stateHash: string
    }
    assert.equal(document.format, "xionimus.session")

    const markdown = await harness.app.inject({
      method: "GET",
      url: `/api/sessions/${session.id}/export?format=markdown`,
    })
    assert.equal(markdown.statusCode, 200)
    assert.match(String(markdown.headers["content-type"]), /^text\/markdown/)
    assert.match(markdown.body, /Write hello\.txt/)

    const imported = await harness.app.inject({
      method: "POST",
      url: `/api/projects/${project.id}/sessions/import`,
      payload: document,
    })
    assert.equal(imported.statusCode, 201, imported.body)
    const copy = imported.json() as Session
    assert.notEqual(copy.id, session.id)
    const again = (
      await harness.app.inject({ method: "GET", url: `/api/sessions/${copy.id}/export` })
    ).json() as typeof document
    assert.equal(again.stateHash, document.stateHash, "same state after the round trip")

    const tampered = structuredClone(document)
    tampered.events.pop()
    expectError(
      await harness.app.inject({
        method: "POST",
        url: `/api/projects/${project.id}/sessions/import`,
        payload: tampered,
      }),
      400,
      "EXPORT_INVALID",
    )
    expectError(
      await harness.app.inject({
        method: "POST",
        url: `/api/projects/${project.id}/sessions/import`,
        payload: { ...document, version: 99 },
      }),
      422,
      "EXPORT_VERSION_UNSUPPORTED",
    )
    const audited = [
      ...(await auditEntries(harness, "session.exported")),
      ...(await auditEntries(harness, "session.imported")),
    ]
    assert.ok(audited.some((entry) => entry.target === session.id))
    assert.ok(audited.some((entry) => entry.target === copy.id))
  })

  test("share: a link read without an account until it is revoked", async () => {
    const created = await harness.app.inject({
      method: "POST",
      url: `/api/sessions/${session.id}/shares`,
      payload: { expiresInDays: 2 },
    })
    assert.equal(created.statusCode, 201, created.body)
    const share = created.json() as Share
    assert.ok(share.token && share.url)
    assert.ok(share.url.endsWith(share.token))

    const listed = await harness.app.inject({ method: "GET", url: `/api/sessions/${session.id}/shares` })
    const items = (listed.json() as { items: Share[] }).items
    assert.deepEqual(
      items.map((item) => [item.id, item.token]),
      [[share.id, undefined]],
    )

    const shared = await harness.app.inject({
      method: "GET",
      url: `/api/shared/${share.token}`,
      headers: anonymous,
    })
    assert.equal(shared.statusCode, 200, shared.body)
    const view = shared.json() as {
      session: { id: string; title: string }
      items: StoredEvent[]
      head: number
    }
    assert.deepEqual(view.session.id, session.id)
    assert.ok(view.items.some((event) => event.type === "message.created"))
    assert.match(String(shared.headers["cache-control"]), /no-store/)

    const revoked = await harness.app.inject({
      method: "DELETE",
      url: `/api/sessions/${session.id}/shares/${share.id}`,
    })
    assert.equal(revoked.statusCode, 200, revoked.body)
    assert.ok((revoked.json() as Share).revokedAt)
    expectError(
      await harness.app.inject({ method: "GET", url: `/api/shared/${share.token}`, headers: anonymous }),
      404,
      "SHARE_NOT_FOUND",
    )
    const actions = [
      ...(await auditEntries(harness, "session.share.created")),
      ...(await auditEntries(harness, "session.share.revoked")),
    ]
    assert.equal(actions.filter((entry) => entry.target === session.id).length, 2)
  })
})
