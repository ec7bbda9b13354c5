import assert from "node:assert/strict"
import { createHash } from "node:crypto"
import { after, before, describe, test } from "node:test"
import { reduceSession, type SessionExport } from "@xionimus/protocol"
import { endOfTurn, interruptedByFork } from "../src/fork.ts"
import { redactText } from "../src/redact-events.ts"
import { sessionStateHash } from "../src/state-hash.ts"
import {
  createOperationsFixture,
  model,
  type OperationsFixture,
  rejectsWith,
  usage,
} from "./session-operations-fixture.ts"

const secret = "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX0123456789"
const userTexts = (events: Parameters<typeof reduceSession>[0]) =>
  reduceSession(events).messages.flatMap((message) => (message.role === "user" ? [message.text] : []))

let fixture: OperationsFixture
before(async () => {
  fixture = await createOperationsFixture()
})
after(() => fixture.close())

for (const ownGit of [false, true]) {
  describe(`rewind in a project ${ownGit ? "with" : "without"} its own git`, () => {
    test("previews, rewinds code and chat, and undoes the rewind", async () => {
      const { operations } = fixture
      const project = await fixture.project({ ownGit })
      const gitHead = ownGit ? await project.git("rev-parse", "HEAD") : ""
      const sessionId = await fixture.createSession(project.projectId)
      await fixture.turn(sessionId, project, "make a", { "a.txt": "one\n" })
      const second = await fixture.turn(sessionId, project, "change a, add b", {
        "a.txt": "two\n",
        "b.txt": "bee\n",
      })
      const head = (await fixture.events(sessionId)).at(-1)!.seq
      const secondSeq = (await fixture.events(sessionId)).find(
        (event) =>
          event.type === "message.created" && (event.data as { messageId: string }).messageId === second,
      )!.seq

      const preview = await operations.rewindPreview(sessionId, second, "code-and-chat")
      assert.equal(preview.hiddenEvents, head - secondSeq + 1)
      assert.deepEqual(
        preview.files.sort((a, b) => a.path.localeCompare(b.path)),
        [
          { path: "a.txt", change: "modified" },
          { path: "b.txt", change: "deleted" },
        ],
      )
      assert.match(preview.diff, /-two\n\+one/)
      assert.equal(await project.read("b.txt"), "bee\n", "a preview changes nothing")

      const reverted = await operations.rewind(sessionId, second, "code-and-chat")
      assert.equal(reverted.type, "session.reverted")
      const data = reverted.data as { fromSeq: number; toSeq: number; restored?: string; before?: string }
      assert.equal(data.fromSeq, secondSeq)
      assert.equal(data.toSeq, head)
      assert.ok(data.restored && data.before)
      assert.equal(await project.read("a.txt"), "one\n")
      assert.equal(await project.read("b.txt"), null)
      assert.deepEqual(userTexts(await fixture.events(sessionId)), ["make a"])
      if (ownGit) {
        assert.equal(await project.git("rev-parse", "HEAD"), gitHead, "the project's own git is untouched")
        assert.equal(await project.read("README.md"), "# project\n")
      }

      const undone = await operations.undoRewind(sessionId, reverted.id)
      assert.equal((undone.data as { undoes: string }).undoes, reverted.id)
      assert.equal(await project.read("a.txt"), "two\n")
      assert.equal(await project.read("b.txt"), "bee\n")
      assert.deepEqual(userTexts(await fixture.events(sessionId)), ["make a", "change a, add b"])
      await rejectsWith(operations.undoRewind(sessionId, reverted.id), "REWIND_NOT_FOUND")
      await rejectsWith(operations.undoRewind(sessionId, "evt_unknown"), "REWIND_NOT_FOUND")
    })

    test("code only restores files and keeps the chat; chat only hides messages and keeps files", async () => {
      const { operations } = fixture
      const project = await fixture.project({ ownGit })
      const sessionId = await fixture.createSession(project.projectId)
      const first = await fixture.turn(sessionId, project, "first", { "x.txt": "x1\n" })
      await fixture.turn(sessionId, project, "second", { "x.txt": "x2\n" })

      const code = await operations.rewind(sessionId, first, "code")
      assert.equal(await project.read("x.txt"), null, "before the first turn there was no x.txt")
      assert.deepEqual(userTexts(await fixture.events(sessionId)), ["first", "second"])
      await operations.undoRewind(sessionId, code.id)
      assert.equal(await project.read("x.txt"), "x2\n")

      const chat = await operations.rewind(sessionId, first, "chat")
      assert.equal((chat.data as { restored?: string }).restored, undefined)
      assert.equal(await project.read("x.txt"), "x2\n")
      assert.deepEqual(userTexts(await fixture.events(sessionId)), [])
      assert.equal((await operations.rewindPreview(sessionId, first, "chat")).diff, "")
    })
  })
}

describe("rewind refusals", () => {
  test("refuses while a turn runs, an unknown message, and undoing an older rewind first", async () => {
    const { operations } = fixture
    const project = await fixture.project()
    const sessionId = await fixture.createSession(project.projectId)
    const first = await fixture.turn(sessionId, project, "one", { "f.txt": "1" })
    const second = await fixture.turn(sessionId, project, "two", { "f.txt": "2" })
    fixture.running.add(sessionId)
    await rejectsWith(operations.rewind(sessionId, first, "code-and-chat"), "TURN_RUNNING")
    await rejectsWith(operations.rewindPreview(sessionId, first, "code"), "TURN_RUNNING")
    fixture.running.delete(sessionId)
    await rejectsWith(operations.rewind(sessionId, "msg_nope", "chat"), "MESSAGE_NOT_FOUND")
    await rejectsWith(operations.rewind("ses_nope", first, "chat"), "SESSION_NOT_FOUND")
    const older = await operations.rewind(sessionId, second, "code-and-chat")
    const newer = await operations.rewind(sessionId, first, "code-and-chat")
    assert.equal(await project.read("f.txt"), null)
    await rejectsWith(operations.undoRewind(sessionId, older.id), "VALIDATION_FAILED")
    await operations.undoRewind(sessionId, newer.id)
    assert.equal(await project.read("f.txt"), "1")
    await operations.undoRewind(sessionId, older.id)
    assert.equal(await project.read("f.txt"), "2")
  })

  test("a message sent while a turn ran is rewound from its own turn, leaving the earlier answer shown", async () => {
    const { operations } = fixture
    const project = await fixture.project({ checkpoints: false })
    const sessionId = await fixture.createSession(project.projectId)
    const append = fixture.append.bind(fixture, sessionId)
    await append("message.created", {
      messageId: "msg_1",
      role: "user",
      text: "one",
      queued: false,
      authorId: null,
    })
    await append("turn.started", { turnId: "trn_1", messageId: "msg_1", model })
    await append("assistant.started", { turnId: "trn_1", messageId: "msg_a1", model })
    await append("message.created", {
      messageId: "msg_2",
      role: "user",
      text: "two",
      queued: true,
      authorId: null,
    })
    await append("assistant.finished", { messageId: "msg_a1", reason: "tool-calls", model })
    await append("assistant.started", { turnId: "trn_1", messageId: "msg_a2", model })
    await append("assistant.text", { messageId: "msg_a2", text: "answer to one" })
    await append("assistant.finished", { messageId: "msg_a2", reason: "stop", model })
    await append("turn.ended", { turnId: "trn_1", outcome: "completed" })
    const started = await append("turn.started", { turnId: "trn_2", messageId: "msg_2", model })
    await append("turn.ended", { turnId: "trn_2", outcome: "completed" })
    const reverted = await operations.rewind(sessionId, "msg_2", "chat")
    assert.equal((reverted.data as { fromSeq: number }).fromSeq, started.seq)
    const shown = reduceSession(await fixture.events(sessionId)).messages.map((message) => message.id)
    assert.deepEqual(shown, ["msg_1", "msg_a1", "msg_a2"])
  })

  test("a project without checkpoints refuses to rewind code with a clear error but rewinds the chat", async () => {
    const { operations } = fixture
    const project = await fixture.project({ checkpoints: false })
    const sessionId = await fixture.createSession(project.projectId)
    const first = await fixture.turn(sessionId, project, "one", { "f.txt": "1" })
    await rejectsWith(
      operations.rewind(sessionId, first, "code"),
      "CHECKPOINT_NOT_FOUND",
      /no checkpoints.*chat only/,
    )
    await rejectsWith(operations.rewindPreview(sessionId, first, "code-and-chat"), "CHECKPOINT_NOT_FOUND")
    const chat = await operations.rewind(sessionId, first, "chat")
    assert.equal(chat.type, "session.reverted")
    assert.equal(await project.read("f.txt"), "1")
  })
})

describe("fork", () => {
  test("from a message: the log up to the end of its turn, the workspace as it was then, undoable", async () => {
    const { operations, store } = fixture
    const project = await fixture.project({ ownGit: true })
    const sessionId = await fixture.createSession(project.projectId, "Original")
    const first = await fixture.turn(sessionId, project, "first", { "a.txt": "A1\n" })
    await fixture.turn(sessionId, project, "second", { "a.txt": "A2\n", "b.txt": "B\n" })
    const source = await fixture.events(sessionId)
    const cut = endOfTurn(source, first)
    assert.equal(source.find((event) => event.seq === cut)?.type, "turn.ended")

    const fork = await operations.fork(sessionId, { messageId: first, createdBy: "usr_2" })
    assert.deepEqual(fork.forkedFrom, { sessionId, seq: cut })
    assert.equal(fork.title, "Original (fork)")
    assert.equal(fork.projectId, project.projectId)
    assert.equal(fork.createdBy, "usr_2")
    const log = await fixture.events(fork.id)
    assert.equal(log[0]?.type, "session.created")
    assert.deepEqual((log[0]!.data as { forkedFrom: unknown }).forkedFrom, { sessionId, seq: cut })
    assert.deepEqual(
      log.slice(1, cut).map((event) => [event.type, event.data]),
      source.slice(1, cut).map((event) => [event.type, event.data]),
      "the copies keep type, data and order",
    )
    const note = log.at(-1)!
    assert.equal(note.type, "session.reverted")
    assert.equal((note.data as { mode: string }).mode, "code")
    assert.equal(fork.head, note.seq)
    assert.deepEqual(userTexts(log), ["first"])
    assert.equal(await project.read("a.txt"), "A1\n")
    assert.equal(await project.read("b.txt"), null)
    assert.equal(await project.read("README.md"), "# project\n")
    assert.deepEqual(await store.sessions.get(fork.id).then((record) => record?.forkedFrom), {
      sessionId,
      seq: cut,
    })
    assert.deepEqual(
      (await store.sessions.list(project.projectId, { limit: 50, q: "FIRST" })).items
        .map((item) => item.id)
        .sort(),
      [fork.id],
      "the fork's messages are searchable",
    )

    await operations.undoRewind(fork.id, note.id)
    assert.equal(await project.read("a.txt"), "A2\n")
    assert.equal(await project.read("b.txt"), "B\n")
  })

  test("of the whole log, with a title, while no turn runs; a turn that was running ends interrupted in the fork", async () => {
    const { operations } = fixture
    const project = await fixture.project()
    const sessionId = await fixture.createSession(project.projectId)
    await fixture.turn(sessionId, project, "only", { "c.txt": "C\n" })
    await fixture.append(sessionId, "message.created", {
      messageId: "msg_open",
      role: "user",
      text: "still going",
      queued: false,
      authorId: null,
    })
    await fixture.append(sessionId, "turn.started", { turnId: "trn_open", messageId: "msg_open", model })
    const head = (await fixture.events(sessionId)).at(-1)!.seq
    fixture.running.add(sessionId)
    await rejectsWith(operations.fork(sessionId, { createdBy: null }), "TURN_RUNNING")
    fixture.running.delete(sessionId)

    const fork = await operations.fork(sessionId, { title: "Copy", createdBy: null })
    assert.equal(fork.title, "Copy")
    assert.deepEqual(fork.forkedFrom, { sessionId, seq: head })
    const log = await fixture.events(fork.id)
    const state = reduceSession(log)
    assert.equal(state.title, "Copy")
    assert.equal(state.lastTurn?.outcome, "interrupted")
    assert.equal(state.lastTurn?.message, interruptedByFork)
    assert.equal(fork.runState, "idle")
    assert.equal((await fixture.store.sessions.get(fork.id))?.runState, "interrupted")
    assert.equal(await project.read("c.txt"), "C\n")
  })

  test("leaves out messages queued during the turn and maps the seqs that events name", async () => {
    const { operations } = fixture
    const project = await fixture.project({ checkpoints: false })
    const sessionId = await fixture.createSession(project.projectId)
    const first = await fixture.turn(sessionId, project, "zero")
    await fixture.append(sessionId, "message.created", {
      messageId: "msg_a",
      role: "user",
      text: "a",
      queued: false,
      authorId: null,
    })
    await fixture.append(sessionId, "turn.started", { turnId: "trn_a", messageId: "msg_a", model })
    await fixture.append(sessionId, "message.created", {
      messageId: "msg_b",
      role: "user",
      text: "b (queued)",
      queued: true,
      authorId: null,
    })
    await fixture.append(sessionId, "assistant.started", { turnId: "trn_a", messageId: "msg_ans", model })
    await fixture.append(sessionId, "assistant.text", { messageId: "msg_ans", text: "answer a" })
    const compacted = await fixture.append(sessionId, "session.compacted", {
      throughSeq: 0,
      summary: "s",
      prunedCallIds: [],
      tokensBefore: 10,
      tokensAfter: 5,
    })
    await fixture.append(sessionId, "assistant.finished", {
      messageId: "msg_ans",
      reason: "stop",
      model,
      usage,
    })
    const ended = await fixture.append(sessionId, "turn.ended", { turnId: "trn_a", outcome: "completed" })
    await fixture.append(sessionId, "turn.started", { turnId: "trn_b", messageId: "msg_b", model })
    await fixture.append(sessionId, "turn.ended", { turnId: "trn_b", outcome: "completed" })
    assert.equal(endOfTurn(await fixture.events(sessionId), "msg_a"), ended.seq)
    assert.ok(first)

    const fork = await operations.fork(sessionId, { messageId: "msg_a", createdBy: null })
    const log = await fixture.events(fork.id)
    assert.deepEqual(userTexts(log), ["zero", "a"])
    assert.equal(reduceSession(log).queued.length, 0)
    assert.equal(log.at(-1)?.type, "turn.ended", "without checkpoints the workspace is left alone")
    const copiedCompaction = log.find((event) => event.id === compacted.id)!
    assert.equal(copiedCompaction.seq, compacted.seq - 1)
    assert.equal(fork.forkedFrom?.seq, ended.seq)
  })
})

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
