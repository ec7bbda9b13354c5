// A project registered on a folder outside the data directory (`xionimus run --project <dir>`) works in the
// server as any workspace does: the agent edits the folder in place, the file routes read it, the hidden
// checkpoints undo the edit, and commands run in a sandbox over it.
import assert from "node:assert/strict"
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, test } from "node:test"
import { newId } from "@xionimus/kit"
import type { StoredEvent } from "@xionimus/protocol"
import { createScriptedModel } from "@xionimus/testing"
import { createSession, createSessionTestApp, sendMessage, sessionEvents } from "./support/session-app.ts"
import type { TestApp } from "./support/test-app.ts"

const model = createScriptedModel()
let harness: TestApp
let folder: string

before(async () => {
  harness = await createSessionTestApp(model, { config: { agent: { mode: "full-auto" } } })
  folder = await mkdtemp(join(tmpdir(), "xionimus-folder-"))
  await writeFile(join(folder, "notes.txt"), "first\n")
})
after(async () => {
  await harness.close()
  await rm(folder, { recursive: true, force: true })
  model.verify()
})

test("the agent edits a directory project in place; files, checkpoints and the sandbox use the folder", async () => {
  const project = await harness.services.store.projects.create({
    id: newId("prj"),
    name: "Folder",
    source: { kind: "directory", path: folder },
  })
  const session = await createSession(harness.app, project.id, { title: "Edit in place" })
  model.enqueue(
    {
      toolCalls: [
        { name: "edit", input: { path: "notes.txt", edits: [{ oldText: "first", newText: "second" }] } },
      ],
    },
    { toolCalls: [{ name: "run", input: { command: "cat notes.txt && pwd" } }] },
    { text: "Edited." },
  )
  const sent = await sendMessage(harness.app, session.id, "Change the note")
  await harness.services.sessions.idle(session.id)

  assert.equal(await readFile(join(folder, "notes.txt"), "utf8"), "second\n")
  const events = await sessionEvents(harness.app, session.id)
  const ended = events.findLast((event) => event.type === "turn.ended") as StoredEvent
  assert.equal((ended.data as { outcome: string }).outcome, "completed")
  const outputs = events
    .filter((event) => event.type === "tool.updated")
    .map((event) => event.data as { status: string; output?: string })
    .filter((data) => data.status === "completed")
  assert.match(
    outputs[1]?.output ?? "",
    /second\n\/workspace/,
    "the command ran over the folder at /workspace",
  )

  const file = await harness.app.inject({
    method: "GET",
    url: `/api/projects/${project.id}/files?path=notes.txt`,
  })
  assert.equal(file.statusCode, 200, file.body)
  assert.match(file.body, /second/)

  const rewound = await harness.app.inject({
    method: "POST",
    url: `/api/sessions/${session.id}/rewind`,
    payload: { messageId: sent.messageId, mode: "code" },
  })
  assert.equal(rewound.statusCode, 201, rewound.body)
  assert.equal(
    await readFile(join(folder, "notes.txt"), "utf8"),
    "first\n",
    "the checkpoint restored the folder",
  )
})
