import assert from "node:assert/strict"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import { isAppError } from "@xionimus/kit"
import { createAgentFixture, projectId } from "./agent-fixture.ts"

const refusedFor = (other: string) => (error: unknown) => {
  assert.ok(isAppError(error))
  assert.equal(error.code, "TURN_RUNNING")
  assert.match(error.message, /Session "Busy one" of this project is running a turn/)
  assert.deepEqual(error.details, { sessionId: other })
  return true
}

test("a code rewind, its undo and a restoring fork wait while another session's turn runs in the project", async (t) => {
  const command = "echo started; exec sleep 27.3"
  await using fixture = await createAgentFixture(t, {
    sandbox: true,
    turns: [
      { toolCalls: [{ name: "write_file", input: { path: "notes.txt", content: "one\n" } }] },
      { text: "Wrote notes." },
      { toolCalls: [{ name: "write_file", input: { path: "other.txt", content: "two\n" } }] },
      { text: "Wrote other." },
      { text: "Running it.", toolCalls: [{ name: "run", input: { command } }] },
    ],
  })
  const read = (path: string) => readFile(join(fixture.workspace, path), "utf8")
  const quiet = await fixture.engine.create({ projectId, createdBy: null, title: "Quiet one" })
  const first = await fixture.engine.send(quiet.id, { text: "write notes", authorId: null })
  await fixture.engine.idle(quiet.id)
  const second = await fixture.engine.send(quiet.id, { text: "write other", authorId: null })
  await fixture.engine.idle(quiet.id)
  // Allowed while nothing else runs: other.txt goes.
  const rewound = await fixture.engine.rewind(quiet.id, second.messageId, "code")
  await assert.rejects(read("other.txt"), { code: "ENOENT" })

  const busy = await fixture.engine.create({ projectId, createdBy: null, title: "Busy one" })
  await fixture.engine.send(busy.id, { text: "run the slow thing", authorId: null })
  await fixture.waitFor(
    busy.id,
    (event) =>
      event.type === "tool.output" && String((event.data as { text: string }).text).includes("started"),
  )
  await assert.rejects(fixture.engine.rewind(quiet.id, first.messageId, "code"), refusedFor(busy.id))
  await assert.rejects(fixture.engine.undoRewind(quiet.id, rewound.id), refusedFor(busy.id))
  await assert.rejects(
    fixture.engine.fork(quiet.id, { messageId: first.messageId, createdBy: null }),
    refusedFor(busy.id),
  )
  assert.equal(await read("notes.txt"), "one\n", "the files stay")
  await assert.rejects(read("other.txt"), { code: "ENOENT" })
  assert.equal((await fixture.engine.list(projectId, { limit: 50 })).items.length, 2, "no fork was made")
  // The chat alone changes no files: allowed.
  const chatOnly = await fixture.engine.rewind(quiet.id, second.messageId, "chat")
  assert.equal(chatOnly.type, "session.reverted")

  await fixture.engine.cancel(busy.id)
  await fixture.engine.idle(busy.id)
  await fixture.engine.undoRewind(quiet.id, chatOnly.id)
  await fixture.engine.undoRewind(quiet.id, rewound.id)
  assert.equal(await read("other.txt"), "two\n")
})
