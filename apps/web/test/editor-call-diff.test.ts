// What an agent's call changed, for the diff view, against the real server: the route's exact answer for
// an edit and for a command that wrote files (also after the files changed again), which calls the log
// says changed files, and the client-side rebuild when the server has no such route (an older server).
import assert from "node:assert/strict"
import { after, before, test } from "node:test"
import { reduceSession, type StoredEvent, type ToolPart } from "@xionimus/protocol"
import { type Client, createSessionsClient, type SessionsClient } from "@xionimus/sdk"
import type { MockProviderServer } from "@xionimus/testing"
import { recordedChange, serverCallChanges } from "../src/stores/call-diff.ts"
import { callChanges } from "../src/stores/tool-diff.ts"
import { type RealServer, startRealServer } from "./support/real-server.ts"

let real: RealServer
let mock: MockProviderServer
let client: Client
let sessions: SessionsClient

before(async () => {
  real = await startRealServer({ mockModel: true, config: { agent: { mode: "full-auto" } } })
  mock = real.mock!
  ;({ client, sessions } = real)
})
after(() => real?.close())

const toolCall = (id: string, name: string, input: unknown) => ({
  type: "stream" as const,
  blocks: [{ type: "tool-call" as const, id, name, argumentChunks: [JSON.stringify(input)] }],
})

async function finishedLog(sessionId: string): Promise<StoredEvent[]> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const page = await sessions.events(sessionId, { limit: 1000 })
    if (page.items.some((event) => event.type === "turn.ended")) return page.items
    if (Date.now() > deadline) throw new Error("the turn did not end")
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

test("an edit and a command that wrote files: each call's files exactly, from the server", async () => {
  const project = await client.createProject({ name: "Call diffs" })
  await client.writeFile(project.id, { path: "notes.txt", content: "alpha\nbeta\n" })
  mock.enqueue(
    toolCall("call_edit", "edit", { path: "notes.txt", edits: [{ oldText: "beta", newText: "gamma" }] }),
    toolCall("call_run", "run", { command: "printf 'one\\ntwo\\n' > made.txt && rm notes.txt" }),
    toolCall("call_quiet", "run", { command: "ls" }),
    { type: "stream", blocks: [{ type: "text", chunks: ["Done."] }] },
  )
  const session = await sessions.create(project.id)
  await sessions.send(session.id, { text: "Change the notes, then make made.txt" })
  const state = reduceSession(await finishedLog(session.id))
  const parts = state.messages.flatMap((message) =>
    message.role === "assistant"
      ? message.parts.filter((part): part is ToolPart => part.type === "tool")
      : [],
  )
  const partOf = (tool: string, command?: string) =>
    parts.find(
      (part) =>
        part.tool === tool &&
        (command === undefined || (part.input as { command: string }).command === command),
    )!
  const edit = partOf("edit")
  const run = partOf("run", "printf 'one\\ntwo\\n' > made.txt && rm notes.txt")
  const quiet = partOf("run", "ls")
  assert.equal(edit.status, "completed", JSON.stringify(edit))
  assert.equal(run.status, "completed", JSON.stringify(run))

  // Only calls that changed files have a checkpoint of their own: those get "View changes".
  assert.equal(recordedChange(state, edit.callId), true)
  assert.equal(recordedChange(state, run.callId), true)
  assert.equal(recordedChange(state, quiet.callId), false)

  // The files changed again since: the calls' own changes still come back exactly.
  await client.writeFile(project.id, { path: "made.txt", content: "rewritten\n" })
  const read = async () => null
  const forEdit = await callChanges(edit, { server: () => sessions.callDiff(session.id, edit.callId), read })
  assert.deepEqual(forEdit, {
    fidelity: "whole",
    changes: {
      truncated: false,
      files: [
        {
          path: "notes.txt",
          change: "modified",
          omitted: null,
          before: "alpha\nbeta\n",
          after: "alpha\ngamma\n",
        },
      ],
    },
  })
  const forRun = await callChanges(run, { server: () => sessions.callDiff(session.id, run.callId), read })
  assert.deepEqual(
    forRun?.changes.files.sort((a, b) => a.path.localeCompare(b.path)),
    [
      { path: "made.txt", change: "added", omitted: null, before: "", after: "one\ntwo\n" },
      { path: "notes.txt", change: "deleted", omitted: null, before: "alpha\ngamma\n", after: "" },
    ],
  )
  // A call without a checkpoint: the server cannot say, and a command has nothing to rebuild.
  assert.equal(await serverCallChanges(() => sessions.callDiff(session.id, quiet.callId)), null)
  assert.equal(
    await callChanges(quiet, { server: () => sessions.callDiff(session.id, quiet.callId), read }),
    null,
  )
  // Other failures are not taken for "cannot say".
  await assert.rejects(
    serverCallChanges(() => sessions.callDiff("ses_doesnotexist000000", edit.callId)),
    {
      code: "SESSION_NOT_FOUND",
    },
  )

  // An older server without the route (ROUTE_NOT_FOUND): the edit is rebuilt on the client from the file.
  const olderServer = createSessionsClient({
    baseUrl: real.url,
    headers: real.headers,
    fetch: (input, init) => globalThis.fetch(String(input).replace(/\/diff$/, "/diff-unknown"), init),
  })
  const rebuilt = await callChanges(edit, {
    server: () => olderServer.callDiff(session.id, edit.callId),
    read: async () => null,
  })
  assert.deepEqual(rebuilt, {
    fidelity: "fragments",
    changes: {
      truncated: false,
      files: [{ path: "notes.txt", change: "modified", omitted: null, before: "beta", after: "gamma" }],
    },
  })
})
