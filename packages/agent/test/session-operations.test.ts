import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { reduceSession } from "@xionimus/protocol"
import { endOfTurn, interruptedByFork } from "../src/fork.ts"
import {
  createOperationsFixture,
  model,
  type OperationsFixture,
  rejectsWith,
  usage,
} from "./session-operations-fixture.ts"

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
