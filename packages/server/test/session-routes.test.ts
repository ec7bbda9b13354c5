// The session routes in process (inject) over the real engine, SQLite, workspaces, git checkpoints and the
// scripted model: lifecycle, a turn with a permission question, rewind, fork, export/import, shares,
// permission settings, and who may do what.
import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { PassThrough } from "node:stream"
import { after, before, describe, test } from "node:test"
import type { Session, Share, StoredEvent } from "@xionimus/protocol"
import { createScriptedModel } from "@xionimus/testing"
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
import { anonymous } from "./support/sign-in.ts"
import { createTeamFixture, type TeamFixture } from "./support/team-fixture.ts"
import type { TestApp } from "./support/test-app.ts"

const model = createScriptedModel()
let harness: TestApp

before(async () => {
  harness = await createSessionTestApp(model, { app: { rateLimits: { sharedPerMinute: 1000 } } })
})
after(async () => {
  await harness.close()
  model.verify()
})

const auditActions = async (action: string) =>
  (await harness.services.store.auth.listAudit({ action, limit: 50 })).items

describe("session lifecycle", () => {
  test("create, read, list, search, tag, pin, archive, delete", async () => {
    const project = await createProject(harness.app, "Lifecycle")
    const first = await createSession(harness.app, project.id, { title: "Parser bug", tags: ["bugs"] })
    assert.match(first.id, /^ses_/)
    assert.deepEqual(
      [first.title, first.tags, first.runState, first.projectId],
      ["Parser bug", ["bugs"], "idle", project.id],
    )
    const second = await createSession(harness.app, project.id, { title: "Docs" })

    const read = await harness.app.inject({ method: "GET", url: `/api/sessions/${first.id}` })
    assert.equal(read.statusCode, 200)
    assert.equal((read.json() as Session).title, "Parser bug")

    const patched = await harness.app.inject({
      method: "PATCH",
      url: `/api/sessions/${second.id}`,
      payload: { pinned: true, tags: ["docs"] },
    })
    assert.equal(patched.statusCode, 200, patched.body)
    assert.deepEqual([(patched.json() as Session).pinned, (patched.json() as Session).tags], [true, ["docs"]])

    const list = async (query = "") => {
      const response = await harness.app.inject({
        method: "GET",
        url: `/api/projects/${project.id}/sessions${query}`,
      })
      assert.equal(response.statusCode, 200, response.body)
      return (response.json() as { items: Session[] }).items.map((session) => session.title)
    }
    assert.deepEqual(await list(), ["Docs", "Parser bug"], "pinned first")
    assert.deepEqual(await list("?q=parser"), ["Parser bug"])
    assert.deepEqual(await list("?tag=docs"), ["Docs"])

    await harness.app.inject({
      method: "PATCH",
      url: `/api/sessions/${second.id}`,
      payload: { archived: true },
    })
    assert.deepEqual(await list(), ["Parser bug"])
    assert.deepEqual(await list("?archived=true"), ["Docs"])

    const deleted = await harness.app.inject({ method: "DELETE", url: `/api/sessions/${first.id}` })
    assert.equal(deleted.statusCode, 204, deleted.body)
    expectError(
      await harness.app.inject({ method: "GET", url: `/api/sessions/${first.id}` }),
      404,
      "SESSION_NOT_FOUND",
    )
    assert.ok((await auditActions("session.deleted")).some((entry) => entry.target === first.id))
  })

  test("bad inputs: unknown session, malformed id, idle cancel, nothing to resume", async () => {
    const project = await createProject(harness.app, "Inputs")
    const session = await createSession(harness.app, project.id)
    expectError(
      await harness.app.inject({ method: "GET", url: "/api/sessions/ses_0190b6f3a2c100AAAAAAAAAAAA" }),
      404,
      "SESSION_NOT_FOUND",
    )
    expectError(
      await harness.app.inject({ method: "GET", url: "/api/sessions/not-a-session" }),
      400,
      "VALIDATION_FAILED",
    )
    expectError(
      await harness.app.inject({ method: "POST", url: `/api/sessions/${session.id}/cancel` }),
      409,
      "TURN_NOT_RUNNING",
    )
    expectError(
      await harness.app.inject({ method: "POST", url: `/api/sessions/${session.id}/resume` }),
      409,
      "NOTHING_TO_RESUME",
    )
    expectError(
      await harness.app.inject({
        method: "POST",
        url: `/api/sessions/${session.id}/messages`,
        payload: { text: "" },
      }),
      400,
      "VALIDATION_FAILED",
    )
  })
})

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
    assert.ok((await auditActions("session.permission.decided")).some((entry) => entry.target === session.id))

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
    const audited = [...(await auditActions("session.exported")), ...(await auditActions("session.imported"))]
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
      ...(await auditActions("session.share.created")),
      ...(await auditActions("session.share.revoked")),
    ]
    assert.equal(actions.filter((entry) => entry.target === session.id).length, 2)
  })
})

describe("permission settings", () => {
  test("project settings: default mode, owners set them, a turn follows them", async () => {
    const project = await createProject(harness.app, "Settings")
    const url = `/api/projects/${project.id}/permissions`
    const initial = await harness.app.inject({ method: "GET", url })
    assert.deepEqual(initial.json(), { mode: "ask", rules: [] })

    const put = await harness.app.inject({
      method: "PUT",
      url,
      payload: { mode: "auto-edit", rules: [{ tool: "run", pattern: "rm *", action: "deny" }] },
    })
    assert.equal(put.statusCode, 200, put.body)
    assert.deepEqual((await harness.app.inject({ method: "GET", url })).json(), {
      mode: "auto-edit",
      rules: [{ tool: "run", pattern: "rm *", action: "deny" }],
    })

    // auto-edit: the edit runs without a question.
    const session = await createSession(harness.app, project.id)
    model.enqueue(
      { toolCalls: [{ name: "write_file", input: { path: "a.txt", content: "a" } }] },
      { text: "ok" },
    )
    await sendMessage(harness.app, session.id, "write a.txt")
    await harness.services.sessions.idle(session.id)
    const types = typesOf(await sessionEvents(harness.app, session.id))
    assert.ok(!types.includes("permission.asked"), types.join(", "))
    assert.equal(await readFile(join(harness.dataDir, "workspaces", project.id, "a.txt"), "utf8"), "a")
    assert.ok(
      (await auditActions("project.permissions.changed")).some((entry) => entry.target === project.id),
    )
  })

  test("your own settings", async () => {
    assert.deepEqual((await harness.app.inject({ method: "GET", url: "/api/me/permissions" })).json(), {
      rules: [],
    })
    const put = await harness.app.inject({
      method: "PUT",
      url: "/api/me/permissions",
      payload: { mode: "ask", rules: [{ tool: "read_file", action: "allow" }] },
    })
    assert.equal(put.statusCode, 200, put.body)
    assert.deepEqual((await harness.app.inject({ method: "GET", url: "/api/me/permissions" })).json(), {
      mode: "ask",
      rules: [{ tool: "read_file", pattern: "*", action: "allow" }],
    })
    assert.equal((await auditActions("user.permissions.changed")).length, 1)
  })
})

describe("who may do what with a session", () => {
  let fixture: TeamFixture
  let session: Session
  before(async () => {
    fixture = await createTeamFixture(harness, "sessions")
    session = await createSession(harness.app, fixture.projectId, {}, fixture.editor.headers)
  })

  test("viewers read, editors work, outsiders see nothing", async () => {
    const as = (headers: Record<string, string>, method: "GET" | "POST", url: string, payload?: object) =>
      harness.app.inject({ method, url, headers, ...(payload ? { payload } : {}) })
    assert.equal((await as(fixture.viewer.headers, "GET", `/api/sessions/${session.id}`)).statusCode, 200)
    assert.equal(
      (await as(fixture.viewer.headers, "GET", `/api/projects/${fixture.projectId}/sessions`)).statusCode,
      200,
    )
    expectError(
      await as(fixture.viewer.headers, "POST", `/api/sessions/${session.id}/messages`, { text: "hi" }),
      403,
      "FORBIDDEN",
    )
    expectError(
      await as(fixture.viewer.headers, "POST", `/api/projects/${fixture.projectId}/sessions`, {}),
      403,
      "FORBIDDEN",
    )
    // Another team's owner learns nothing, through any route that names the session.
    expectError(
      await as(fixture.stranger.headers, "GET", `/api/sessions/${session.id}`),
      404,
      "SESSION_NOT_FOUND",
    )
    expectError(
      await as(fixture.stranger.headers, "GET", `/api/streams/${session.id}/events`),
      404,
      "SESSION_NOT_FOUND",
    )
    expectError(
      await as(fixture.stranger.headers, "GET", `/api/projects/${fixture.projectId}/sessions`),
      404,
      "PROJECT_NOT_FOUND",
    )
    expectError(await as(anonymous, "GET", `/api/sessions/${session.id}`), 401, "AUTH_REQUIRED")
    // Only project owners change the project's settings.
    expectError(
      await harness.app.inject({
        method: "PUT",
        url: `/api/projects/${fixture.projectId}/permissions`,
        headers: fixture.editor.headers,
        payload: { mode: "full-auto", rules: [] },
      }),
      403,
      "FORBIDDEN",
    )
    const denials = await auditActions("access.denied")
    assert.ok(denials.some((entry) => entry.actorUserId === fixture.stranger.id))
  })

  test("allowing a tool for the whole project is for project owners; editors allow for the session", async () => {
    model.enqueue(
      { toolCalls: [{ name: "write_file", input: { path: "x.txt", content: "x" } }] },
      { text: "written" },
    )
    await sendMessage(harness.app, session.id, "write x.txt", fixture.editor.headers)
    const asked = await waitForEvent(harness.app, session.id, "permission.asked")
    const requestId = (asked.data as { id: string }).id
    const decide = (headers: Record<string, string>) =>
      harness.app.inject({
        method: "POST",
        url: `/api/sessions/${session.id}/permissions`,
        headers,
        payload: { requestId, decision: { kind: "allow-always", scope: "project" } },
      })
    expectError(await decide(fixture.editor.headers), 403, "FORBIDDEN")
    expectError(await decide(fixture.viewer.headers), 403, "FORBIDDEN")
    const allowed = await decide(fixture.owner.headers)
    assert.equal(allowed.statusCode, 204, allowed.body)
    await harness.services.sessions.idle(session.id)
    const settings = await harness.app.inject({
      method: "GET",
      url: `/api/projects/${fixture.projectId}/permissions`,
      headers: fixture.viewer.headers,
    })
    assert.deepEqual((settings.json() as { rules: unknown[] }).rules, [
      { tool: "write_file", pattern: "x.txt", action: "allow" },
    ])
  })

  test("'allow always for me' is saved to the rules of the person who answered, not the turn's author", async () => {
    model.enqueue(
      { toolCalls: [{ name: "write_file", input: { path: "y.txt", content: "y" } }] },
      { text: "written" },
    )
    await sendMessage(harness.app, session.id, "write y.txt", fixture.editor.headers)
    const asked = await waitForEvent(harness.app, session.id, "permission.asked", (event) =>
      (event.data as { patterns: string[] }).patterns.includes("y.txt"),
    )
    const requestId = (asked.data as { id: string }).id
    const answered = await harness.app.inject({
      method: "POST",
      url: `/api/sessions/${session.id}/permissions`,
      headers: fixture.owner.headers,
      payload: { requestId, decision: { kind: "allow-always", scope: "user" } },
    })
    assert.equal(answered.statusCode, 204, answered.body)
    await harness.services.sessions.idle(session.id)
    const rulesOf = async (headers: Record<string, string>) =>
      (
        (await harness.app.inject({ method: "GET", url: "/api/me/permissions", headers })).json() as {
          rules: unknown[]
        }
      ).rules
    assert.deepEqual(await rulesOf(fixture.owner.headers), [
      { tool: "write_file", pattern: "y.txt", action: "allow" },
    ])
    assert.deepEqual(await rulesOf(fixture.editor.headers), [])
  })

  test("the generic stream read of a session follows the session's project role", async () => {
    const viewerRead = await harness.app.inject({
      method: "GET",
      url: `/api/streams/${session.id}/events`,
      headers: fixture.viewer.headers,
    })
    assert.equal(viewerRead.statusCode, 200, viewerRead.body)
    assert.equal((viewerRead.json() as { items: StoredEvent[] }).items[0]?.type, "session.created")
  })
})

describe("import size", () => {
  test("an export larger than the ordinary body limit can be imported; other bodies keep the limit", async () => {
    const scripted = createScriptedModel()
    const small = await createSessionTestApp(scripted, { config: { server: { bodyLimitBytes: 4096 } } })
    try {
      const project = await createProject(small.app, "Big export")
      const session = await createSession(small.app, project.id)
      scripted.enqueue({ text: "y".repeat(3000) })
      await sendMessage(small.app, session.id, "x".repeat(3000))
      await small.services.sessions.idle(session.id)
      const exported = await small.app.inject({ method: "GET", url: `/api/sessions/${session.id}/export` })
      assert.ok(exported.body.length > 4096, `the export is ${exported.body.length} bytes`)
      const imported = await small.app.inject({
        method: "POST",
        url: `/api/projects/${project.id}/sessions/import`,
        headers: { "content-type": "application/json" },
        payload: exported.body,
      })
      assert.equal(imported.statusCode, 201, imported.body)
      expectError(
        await small.app.inject({
          method: "POST",
          url: `/api/sessions/${session.id}/messages`,
          payload: { text: "z".repeat(5000) },
        }),
        413,
        "PAYLOAD_TOO_LARGE",
      )
    } finally {
      await small.close()
    }
  })
})

describe("share tokens stay out of the log", () => {
  test("the request line of a shared read shows the path without its token", async () => {
    const sink = new PassThrough()
    let lines = ""
    sink.on("data", (chunk) => {
      lines += chunk
    })
    const logged = await createSessionTestApp(createScriptedModel(), { logDestination: sink })
    try {
      const project = await createProject(logged.app, "Logged")
      const session = await createSession(logged.app, project.id)
      const created = await logged.app.inject({
        method: "POST",
        url: `/api/sessions/${session.id}/shares`,
        payload: {},
      })
      const { token } = created.json() as Share
      const read = await logged.app.inject({ method: "GET", url: `/api/shared/${token}`, headers: anonymous })
      assert.equal(read.statusCode, 200, read.body)
    } finally {
      await logged.close()
    }
    assert.match(lines, /"url":"\/api\/shared\/\[redacted\]"/)
    assert.doesNotMatch(lines, /xs_/)
  })
})

describe("shared links are rate-limited per address", () => {
  test("past the limit: RATE_LIMITED", async () => {
    const limited = await createSessionTestApp(createScriptedModel(), {
      app: { rateLimits: { sharedPerMinute: 2 } },
    })
    try {
      const statuses: number[] = []
      for (let index = 0; index < 3; index++) {
        const response = await limited.app.inject({
          method: "GET",
          url: "/api/shared/not-a-token",
          headers: anonymous,
        })
        statuses.push(response.statusCode)
        if (index === 2) expectError(response, 429, "RATE_LIMITED")
      }
      assert.deepEqual(statuses, [404, 404, 429])
    } finally {
      await limited.close()
    }
  })
})
