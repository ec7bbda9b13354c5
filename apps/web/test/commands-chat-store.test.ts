// The chat store's additions for commands, over a scripted sessions client: sending with attachments,
// edit and resend (fork, rewind in the fork, send there), retry and /undo (rewind the last message).
import assert from "node:assert/strict"
import { test } from "node:test"
import type { Session, StoredEvent } from "@xionimus/protocol"
import { ApiError, type SessionsClient, type StreamClient } from "@xionimus/sdk"
import { createChat, lastUserMessage } from "../src/stores/chat-store.ts"

const sessionId = "ses_cmd1"
function logOf(...entries: [string, unknown][]): StoredEvent[] {
  return entries.map(([type, data], index) => ({
    id: `evt_${index + 1}`,
    stream: sessionId,
    seq: index + 1,
    type,
    data,
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
  }))
}
const finishedTurn = (turnId: string, messageId: string): [string, unknown][] => [
  ["turn.started", { turnId, messageId, model: "mock/m" }],
  ["turn.ended", { turnId, outcome: "completed" }],
]
const events = logOf(
  ["session.created", { projectId: "prj_1", title: "T", model: null }],
  ["message.created", { messageId: "msg_1", role: "user", text: "First" }],
  ...finishedTurn("trn_1", "msg_1"),
  ["message.created", { messageId: "msg_2", role: "user", text: "Second", model: "mock/fast" }],
  ...finishedTurn("trn_2", "msg_2"),
)

const session = (id: string): Session => ({
  id,
  projectId: "prj_1",
  title: id === sessionId ? "T" : "T (fork)",
  tags: [],
  pinned: false,
  archived: false,
  runState: "idle",
  model: null,
  forkedFrom: id === sessionId ? null : { sessionId, seq: 3 },
  head: 0,
  usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0 },
  createdBy: null,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
})

function scripted(log: StoredEvent[]) {
  const calls: string[] = []
  let failRewind: ApiError | null = null
  const client = {
    async events() {
      return { items: log, head: log.at(-1)?.seq ?? 0, session: session(sessionId) }
    },
    async send(id: string, input: { text: string; model?: string; attachments?: string[] }) {
      const files = input.attachments ? ` +${input.attachments.join(",")}` : ""
      calls.push(`send ${id} ${JSON.stringify(input.text)}${input.model ? ` ${input.model}` : ""}${files}`)
      return { messageId: "msg_new", queued: false }
    },
    async fork(id: string, input: { messageId?: string }) {
      calls.push(`fork ${id} at ${input.messageId}`)
      return session("ses_fork")
    },
    async rewind(id: string, input: { messageId: string; mode: string }) {
      if (failRewind) throw failRewind
      calls.push(`rewind ${id} ${input.messageId} ${input.mode}`)
      return log.at(-1)
    },
  } as unknown as SessionsClient
  const streams = { subscribe: () => () => undefined } as unknown as StreamClient
  return {
    chat: createChat({ sessions: client, streams, sessionId }),
    calls,
    failRewinds(error: ApiError | null) {
      failRewind = error
    },
  }
}

async function ready(chat: ReturnType<typeof createChat>) {
  for (let attempt = 0; attempt < 200 && chat.state.get().status !== "ready"; attempt++)
    await new Promise((resolve) => setTimeout(resolve, 5))
  assert.equal(chat.state.get().status, "ready")
}

test("the last user message is the newest one not waiting in the queue", async () => {
  const { chat } = scripted(events)
  await ready(chat)
  assert.equal(lastUserMessage(chat.state.get().state)?.id, "msg_2")
  const queued = scripted([
    ...events,
    ...logOf(["message.created", { messageId: "msg_3", role: "user", text: "Later", queued: true }]).map(
      (event) => ({ ...event, seq: events.length + 1, id: "evt_q" }),
    ),
  ])
  await ready(queued.chat)
  assert.equal(lastUserMessage(queued.chat.state.get().state)?.id, "msg_2")
})

test("a send names the attachments and clears the draft", async () => {
  const { chat, calls } = scripted(events)
  await ready(chat)
  chat.setDraft("Look at this")
  assert.equal(await chat.send(undefined, undefined, [".xionimus/attachments/a/shot.png"]), true)
  assert.deepEqual(calls, ['send ses_cmd1 "Look at this" +.xionimus/attachments/a/shot.png'])
  assert.equal(chat.draft.get(), "")
  // Attachments alone are a message too; nothing at all is not.
  assert.equal(await chat.send("", undefined, [".xionimus/attachments/b/log.txt"]), true)
  assert.equal(await chat.send("  "), false)
  assert.deepEqual(calls.slice(1), ['send ses_cmd1 "" +.xionimus/attachments/b/log.txt'])
})

test("edit and resend forks at the message, rewinds it in the fork and sends the new text there", async () => {
  const { chat, calls } = scripted(events)
  await ready(chat)
  const forked = await chat.editAndResend("msg_1", "First, edited", ["notes.txt"])
  assert.equal(forked.id, "ses_fork")
  assert.deepEqual(calls, [
    "fork ses_cmd1 at msg_1",
    "rewind ses_fork msg_1 code-and-chat",
    'send ses_fork "First, edited" +notes.txt',
  ])
})

test("retry rewinds the last turn and sends its message again (with its model); /undo only rewinds", async () => {
  const { chat, calls } = scripted(events)
  await ready(chat)
  assert.equal(await chat.retry(), true)
  assert.deepEqual(calls, ["rewind ses_cmd1 msg_2 code-and-chat", 'send ses_cmd1 "Second" mock/fast'])
  calls.length = 0
  assert.equal((await chat.undoLast())?.id, "msg_2")
  assert.deepEqual(calls, ["rewind ses_cmd1 msg_2 code-and-chat"])
})

test("a refused rewind stops retry before anything is sent and shows the error", async () => {
  const script = scripted(events)
  await ready(script.chat)
  script.failRewinds(new ApiError("TURN_RUNNING", "A turn is running.", { status: 409 }))
  assert.equal(await script.chat.retry(), false)
  assert.equal(await script.chat.undoLast(), undefined)
  assert.deepEqual(script.calls, [])
  assert.equal(script.chat.state.get().error?.code, "TURN_RUNNING")
})

test("nothing to retry or undo in an empty session", async () => {
  const { chat, calls } = scripted(
    logOf(["session.created", { projectId: "prj_1", title: "T", model: null }]),
  )
  await ready(chat)
  assert.equal(await chat.retry(), false)
  assert.equal(await chat.undoLast(), undefined)
  assert.deepEqual(calls, [])
})
