// Sessions leaving the engine: export (JSON with a state hash, Markdown) and import, share links, redaction.
import assert from "node:assert/strict"
import { createHash } from "node:crypto"
import { after, before, describe, test } from "node:test"
import type { SessionExport } from "@xionimus/protocol"
import { redactText } from "../src/redact-events.ts"
import { sessionStateHash } from "../src/state-hash.ts"
import { createOperationsFixture, type OperationsFixture, rejectsWith } from "./session-operations-fixture.ts"

const secret = "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX0123456789"

let fixture: OperationsFixture
before(async () => {
  fixture = await createOperationsFixture()
})
after(() => fixture.close())

describe("export and import", () => {
  async function sessionWithSecrets() {
    const project = await fixture.project()
    const sessionId = await fixture.createSession(project.projectId, "Keys")
    const first = await fixture.turn(sessionId, project, `use OPENAI_API_KEY=${secret} please`, {
      ".env": `TOKEN=${secret}\n`,
    })
    await fixture.turn(
      sessionId,
      project,
      "second `message` with ```fences```",
      { "d.txt": "D ```x```" },
      "All ```done```.",
    )
    await fixture.append(sessionId, "session.compacted", {
      throughSeq: 5,
      summary: "They set up keys.",
      prunedCallIds: [],
      tokensBefore: 1000,
      tokensAfter: 100,
    })
    await fixture.operations.rewind(sessionId, first, "chat")
    return { project, sessionId }
  }

  test("exports every event with secrets redacted and a state hash; import then export gives the same hash", async () => {
    const { operations } = fixture
    const { sessionId } = await sessionWithSecrets()
    const exported = await operations.exportJson(sessionId)
    const text = JSON.stringify(exported)
    assert.ok(!text.includes(secret), "no secret in the export")
    assert.match(text, /OPENAI_API_KEY=\[redacted\]/)
    assert.equal(exported.format, "xionimus.session")
    assert.equal(exported.version, 1)
    assert.equal(exported.session.id, sessionId)
    assert.equal(exported.events.length, (await fixture.events(sessionId)).length)
    assert.match(exported.stateHash, /^[0-9a-f]{64}$/)

    const other = await fixture.project()
    // Through JSON text, as a file would travel.
    const imported = await operations.importJson(other.projectId, JSON.parse(text), "usr_importer")
    assert.notEqual(imported.id, sessionId)
    assert.equal(imported.projectId, other.projectId)
    assert.equal(imported.title, "Keys")
    assert.equal(imported.createdBy, "usr_importer")
    assert.equal(imported.head, exported.events.length)
    const log = await fixture.events(imported.id)
    assert.equal((log[0]!.data as { projectId: string }).projectId, other.projectId)
    assert.deepEqual(
      log.slice(1).map((event) => [event.id, event.seq, event.type, event.data]),
      exported.events.slice(1).map((event) => [event.id, event.seq, event.type, event.data]),
    )
    const again = await operations.exportJson(imported.id)
    assert.equal(again.stateHash, exported.stateHash)
    const third = await operations.exportJson((await operations.importJson(other.projectId, again, null)).id)
    assert.equal(third.stateHash, exported.stateHash)
  })

  test("refuses a newer version with a clear message, a changed file, and what is not an export", async () => {
    const { operations } = fixture
    const { sessionId, project } = await sessionWithSecrets()
    const exported = await operations.exportJson(sessionId)
    await rejectsWith(
      operations.importJson(project.projectId, { ...exported, version: 2, events: "new shape" }, null),
      "EXPORT_VERSION_UNSUPPORTED",
      /newer Xionimus \(version 2\); this server reads up to 1\. Upgrade to import it\./,
    )
    const tampered: SessionExport = structuredClone(exported)
    const message = tampered.events.find((event) => event.type === "message.created")!
    ;(message.data as { text: string }).text = "something else"
    await rejectsWith(
      operations.importJson(project.projectId, tampered, null),
      "EXPORT_INVALID",
      /changed after export/,
    )
    const reordered: SessionExport = structuredClone(exported)
    reordered.events[3]!.seq = 99
    await rejectsWith(operations.importJson(project.projectId, reordered, null), "EXPORT_INVALID")
    const repeated: SessionExport = structuredClone(exported)
    repeated.events[4]!.id = repeated.events[3]!.id
    await rejectsWith(operations.importJson(project.projectId, repeated, null), "EXPORT_INVALID")
    let details: unknown
    try {
      await operations.importJson(project.projectId, { format: "zip", events: [{}] }, null)
    } catch (error) {
      assert.equal((error as { code: string }).code, "EXPORT_INVALID")
      details = (error as { details: unknown }).details
    }
    assert.ok(Array.isArray(details) && details.length > 2, "the problems are listed")
    const before = (await fixture.store.sessions.list(project.projectId, { limit: 50 })).items.length
    assert.equal(before, 1, "refused imports create no session")
  })

  test("the state hash ignores the session's id, project and times but not its content", async () => {
    const { sessionId } = await sessionWithSecrets()
    const events = await fixture.events(sessionId)
    const moved = events.map((event) => ({ ...event, stream: "ses_other", time: "2030-01-01T00:00:00.000Z" }))
    assert.equal(sessionStateHash(moved), sessionStateHash(events))
    const changed = events.map((event) =>
      event.type === "assistant.text" ? { ...event, data: { ...(event.data as object), text: "x" } } : event,
    )
    assert.notEqual(sessionStateHash(changed), sessionStateHash(events))
  })

  test("the Markdown transcript has title, metadata, messages, tool calls, compaction and rewinds, redacted", async () => {
    const { sessionId } = await sessionWithSecrets()
    const markdown = await fixture.operations.exportMarkdown(sessionId)
    assert.ok(!markdown.includes(secret))
    assert.match(markdown, /^# Keys\n/)
    assert.match(markdown, new RegExp(`- Session: ${sessionId}`))
    assert.match(
      markdown,
      /## User · .*\(rewound: hidden from the chat\)_\n\nuse OPENAI_API_KEY=\[redacted\] please/,
    )
    assert.match(markdown, /\*\*Tool `write_file`\*\* — completed: \.env/)
    assert.match(markdown, /````json\n/, "a fence longer than the backticks inside")
    assert.match(markdown, /\*\*Compacted\*\*: events up to 5/)
    assert.match(markdown, /\*\*Rewound the chat to message msg_/)
    assert.match(markdown, /All ```done```\./)
  })
})

describe("shares", () => {
  test("a token shown once, stored as its hash, read without an account, redacted, revocable, expiring", async () => {
    const shares = await createOperationsFixture({ publicUrl: "https://xionimus.example/" })
    try {
      const project = await shares.project()
      const sessionId = await shares.createSession(project.projectId, `deploy with ${secret}`)
      await shares.turn(
        sessionId,
        project,
        `the key is ${secret}`,
        {},
        "Bearer abcdefghijklmnopqrstuvwxyz123456 noted",
      )
      const share = await shares.operations.share(sessionId, { expiresInDays: 7, createdBy: "usr_test" })
      assert.match(share.token ?? "", /^xs_[A-Za-z0-9_-]{43}$/)
      assert.equal(share.url, `https://xionimus.example/shared/${share.token}`)
      assert.equal(share.expiresAt, "2026-11-29T10:00:00.000Z")
      const hash = createHash("sha256").update(share.token!).digest("hex")
      assert.equal((await shares.store.sessions.findShare(hash))?.id, share.id)
      const listed = await shares.operations.listShares(sessionId)
      assert.equal(listed.length, 1)
      assert.equal(listed[0]?.token, undefined)
      assert.ok(!JSON.stringify(listed).includes(hash), "the hash stays in the store")

      const read = await shares.operations.readShared(share.token!, { after: 0, limit: 1000 })
      assert.equal(read.session.id, sessionId)
      assert.equal(read.session.title, "deploy with [redacted]")
      assert.equal(read.head, (await shares.events(sessionId)).length)
      assert.equal(read.events.length, read.head)
      const text = JSON.stringify(read)
      assert.ok(!text.includes(secret))
      assert.ok(!text.includes("abcdefghijklmnopqrstuvwxyz123456"))
      const page = await shares.operations.readShared(share.token!, { after: 2, limit: 3 })
      assert.deepEqual(
        page.events.map((event) => event.seq),
        [3, 4, 5],
      )
      await rejectsWith(shares.operations.readShared("xs_wrong", { after: 0, limit: 10 }), "SHARE_NOT_FOUND")

      shares.clock.now = new Date("2026-11-29T10:00:00.000Z")
      await rejectsWith(
        shares.operations.readShared(share.token!, { after: 0, limit: 10 }),
        "SHARE_NOT_FOUND",
      )
      shares.clock.now = new Date("2026-11-22T11:00:00.000Z")
      assert.equal(
        (await shares.operations.readShared(share.token!, { after: 0, limit: 1 })).events.length,
        1,
      )
      const revoked = await shares.operations.revokeShare(sessionId, share.id)
      assert.equal(revoked.revokedAt, "2026-11-22T11:00:00.000Z")
      await rejectsWith(
        shares.operations.readShared(share.token!, { after: 0, limit: 10 }),
        "SHARE_NOT_FOUND",
      )
      await rejectsWith(shares.operations.revokeShare(sessionId, "shr_nope"), "SHARE_NOT_FOUND")
      await rejectsWith(
        shares.operations.share("ses_nope", { expiresInDays: 1, createdBy: null }),
        "SESSION_NOT_FOUND",
      )
      const relative = await fixture.operations.share(
        await fixture.createSession((await fixture.project()).projectId),
        { expiresInDays: 1, createdBy: null },
      )
      assert.equal(relative.url, `/shared/${relative.token}`)
    } finally {
      await shares.close()
    }
  })
})

describe("redaction", () => {
  test("redacts key patterns, tokens and secret settings, keeps the rest, and is idempotent", () => {
    const cases: [string, string][] = [
      [`export OPENAI_API_KEY=${secret}`, "export OPENAI_API_KEY=[redacted]"],
      ['{"password": "hunter2", "max_tokens": 4096}', '{"password": "[redacted]", "max_tokens": 4096}'],
      ["DB_PASSWORD='s3cret' MAX_TOKENS=4096", "DB_PASSWORD='[redacted]' MAX_TOKENS=4096"],
      ["Authorization: Bearer abcdefghijklmnop.qrst", "Authorization: Bearer [redacted]"],
      ["aws AKIAABCDEFGHIJKLMNOP and ghp_abcdefghijklmnopqrstuvwxyz0123", "aws [redacted] and [redacted]"],
      ["const token = process.env.TOKEN", "const token = process.env.TOKEN"],
      ["nothing secret here: 42", "nothing secret here: 42"],
    ]
    for (const [input, expected] of cases) {
      assert.equal(redactText(input), expected)
      assert.equal(redactText(expected), expected)
    }
  })
})
