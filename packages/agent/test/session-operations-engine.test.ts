import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import { reduceSession } from "@xionimus/protocol"
import { createAgentFixture, projectId } from "./agent-fixture.ts"

const write = (path: string, content: string) => ({
  toolCalls: [{ name: "write_file", input: { path, content } }],
})

test("through the engine: turns by the scripted model, then rewind, undo, fork, export/import and share", async (t) => {
  await using fixture = await createAgentFixture(t, {
    turns: [
      write("a.txt", "1"),
      { text: "Wrote a." },
      { toolCalls: [...write("a.txt", "2").toolCalls, ...write("b.txt", "b").toolCalls] },
      { text: "Changed a, added b." },
    ],
  })
  const read = (path: string) => readFile(join(fixture.workspace, path), "utf8").catch(() => null)
  const { engine } = fixture
  const session = await engine.create({ projectId, createdBy: "usr_1" })
  const first = await engine.send(session.id, { text: "write a", authorId: "usr_1" })
  await engine.idle(session.id)
  const second = await engine.send(session.id, { text: "change a and add b", authorId: "usr_1" })
  await engine.idle(session.id)
  assert.equal(await read("a.txt"), "2")
  assert.equal(await read("b.txt"), "b")

  const preview = await engine.rewindPreview(session.id, second.messageId, "code-and-chat")
  assert.deepEqual(preview.files.map((file) => `${file.path}:${file.change}`).sort(), [
    "a.txt:modified",
    "b.txt:deleted",
  ])
  const reverted = await engine.rewind(session.id, second.messageId, "code-and-chat")
  assert.equal(await read("a.txt"), "1")
  assert.equal(await read("b.txt"), null)
  const shown = reduceSession(await fixture.events(session.id)).messages
  assert.deepEqual(
    shown.flatMap((message) => (message.role === "user" ? [message.text] : [])),
    ["write a"],
  )
  await engine.undoRewind(session.id, reverted.id)
  assert.equal(await read("a.txt"), "2")

  const fork = await engine.fork(session.id, { messageId: first.messageId, createdBy: "usr_2" })
  assert.equal(await read("a.txt"), "1")
  assert.equal(await read("b.txt"), null)
  assert.deepEqual((await engine.get(fork.id)).forkedFrom?.sessionId, session.id)

  const exported = await engine.exportJson(session.id)
  const imported = await engine.importJson(projectId, JSON.parse(JSON.stringify(exported)), "usr_3")
  assert.equal((await engine.exportJson(imported.id)).stateHash, exported.stateHash)
  assert.match(await engine.exportMarkdown(session.id), /\*\*Tool `write_file`\*\* — completed/)

  const share = await engine.share(session.id, { expiresInDays: 1, createdBy: "usr_1" })
  const shared = await engine.readShared(share.token!, { after: 0, limit: 1000 })
  assert.equal(shared.head, (await fixture.events(session.id)).length)
  await engine.revokeShare(session.id, share.id)
  await assert.rejects(
    engine.readShared(share.token!, { after: 0, limit: 10 }),
    (error: { code?: string }) => error.code === "SHARE_NOT_FOUND",
  )
})
