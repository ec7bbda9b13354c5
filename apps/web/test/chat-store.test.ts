// The chat's state without a browser or a server: the store over a scripted sessions client and stream
// client, the pure readings of a folded session, the session list's ordering and the Markdown reader.
import assert from "node:assert/strict"
import { test } from "node:test"
import { reduceSession, type Session, type StoredEvent } from "@xionimus/protocol"
import { ApiError, type SessionsClient, type StreamClient, type SubscribeOptions } from "@xionimus/sdk"
import { parseInline, parseMarkdown } from "../src/lib/markdown.ts"
import { createChat, readLog } from "../src/stores/chat-store.ts"
import {
  activeRevert,
  canResume,
  draftKey,
  formatCost,
  isBusy,
  toolSubject,
  turnNotice,
} from "../src/stores/chat-view.ts"
import { placeSession, sortSessions } from "../src/stores/session-list-store.ts"

const sessionId = "ses_test1"
let seq = 0
function event(type: string, data: unknown): StoredEvent {
  seq += 1
  return {
    id: `evt_${seq}`,
    stream: sessionId,
    seq,
    type,
    data,
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
  }
}
function log(...entries: [string, unknown][]): StoredEvent[] {
  seq = 0
  return entries.map(([type, data]) => event(type, data))
}
const turn = { turnId: "trn_1", messageId: "msg_u1", model: "mock/m" }
const opening = log(
  ["session.created", { projectId: "prj_1", title: "T", model: null }],
  ["message.created", { messageId: "msg_u1", role: "user", text: "Hi" }],
  ["turn.started", turn],
  ["assistant.started", { turnId: "trn_1", messageId: "msg_a1", model: "mock/m" }],
  ["assistant.text", { messageId: "msg_a1", text: "Hel" }],
)

function session(overrides: Partial<Session> = {}): Session {
  return {
    id: sessionId,
    projectId: "prj_1",
    title: "T",
    tags: [],
    pinned: false,
    archived: false,
    runState: "idle",
    model: null,
    forkedFrom: null,
    head: 0,
    usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0 },
    createdBy: null,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    ...overrides,
  }
}

/** A sessions client that serves `events` in pages of `pageSize` and records sends. */
function fakeSessions(events: StoredEvent[], pageSize = 2) {
  const sent: { text: string; clientId?: string }[] = []
  const reads: number[] = []
  let failSend: ApiError | null = null
  const client = {
    async events(_id: string, { after = 0 }: { after?: number } = {}) {
      reads.push(after)
      const items = events.filter((item) => item.seq > after).slice(0, pageSize)
      return { items, head: events.at(-1)?.seq ?? 0, session: session() }
    },
    async send(_id: string, input: { text: string; clientId?: string }) {
      if (failSend) throw failSend
      sent.push(input)
      return { messageId: `msg_${sent.length}`, queued: false }
    },
  } as unknown as SessionsClient
  return {
    client,
    sent,
    reads,
    failNextSends(error: ApiError | null) {
      failSend = error
    },
  }
}

function fakeStreams() {
  const subscriptions: { stream: string; options: SubscribeOptions; disposed: boolean }[] = []
  const streams = {
    subscribe(stream: string, options: SubscribeOptions) {
      const entry = { stream, options, disposed: false }
      subscriptions.push(entry)
      return () => {
        entry.disposed = true
      }
    },
  } as unknown as StreamClient
  return { streams, subscriptions }
}

function memoryStorage() {
  const values = new Map<string, string>()
  return {
    values,
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  }
}

async function settled(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (condition()) return
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  throw new Error(`never happened: ${what}`)
}

test("readLog follows pages to the head", async () => {
  const pages = fakeSessions(opening, 2)
  const read = await readLog((after) => pages.client.events(sessionId, { after }))
  assert.deepEqual(
    read.items.map((item) => item.seq),
    [1, 2, 3, 4, 5],
  )
  assert.equal(read.head, 5)
  assert.deepEqual(pages.reads, [0, 2, 4])
  const empty = await readLog(async () => ({ items: [], head: 0 }))
  assert.deepEqual(empty, { items: [], head: 0 })
})

test("readLog fetches the pages to the head a few at a time, and reads on in order after a short page", async () => {
  const event = (seq: number) => ({ id: `e${seq}`, stream: "ses_x", seq, type: "x.y", data: {}, time: "t" })
  let head = 9
  const reads: number[] = []
  const read = async (after: number) => {
    reads.push(after)
    // Page size 2; the page after 4 comes back short once (a limit lower than the first page's).
    const size = after === 4 && reads.filter((value) => value === 4).length === 1 ? 1 : 2
    const items = Array.from({ length: Math.max(0, Math.min(size, head - after)) }, (_, index) =>
      event(after + index + 1),
    )
    if (after === 6) head = 11 // the log grows while it is read
    return { items, head }
  }
  const log = await readLog(read, 0, 3)
  assert.deepEqual(
    log.items.map((item) => item.seq),
    Array.from({ length: 11 }, (_, index) => index + 1),
    "every event once, in order",
  )
  assert.equal(log.head, 11)
  assert.deepEqual(reads.slice(0, 4), [0, 2, 4, 6], "after the first page, three at once")
  const stuck = await readLog(async (after) => ({ items: after === 0 ? [event(1), event(2)] : [], head: 6 }))
  assert.deepEqual(
    stuck.items.map((item) => item.seq),
    [1, 2],
    "a page with nothing before the head ends the read",
  )
})

test("the chat loads the log, subscribes from its head, folds live events once, and stops on dispose", async () => {
  const server = fakeSessions(opening, 2)
  const live = fakeStreams()
  const chat = createChat({ sessions: server.client, streams: live.streams, sessionId })
  assert.equal(chat.state.get().status, "loading")
  await settled(() => chat.state.get().status === "ready", "the log to load")
  const { state } = chat.state.get()
  assert.equal(state.head, 5)
  assert.equal(state.runState, "running")
  assert.equal(live.subscriptions.length, 1)
  assert.equal(live.subscriptions[0]?.stream, sessionId)
  assert.equal(live.subscriptions[0]?.options.after, 5)

  const onEvent = live.subscriptions[0]!.options.onEvent
  seq = 5
  const delta = event("assistant.text", { messageId: "msg_a1", text: "lo" })
  onEvent(delta)
  onEvent(delta)
  const assistant = chat.state.get().state.messages[1]
  assert.deepEqual(assistant?.role === "assistant" ? assistant.parts : null, [
    { type: "text", text: "Hello" },
  ])
  onEvent(event("turn.ended", { turnId: "trn_1", outcome: "completed" }))
  assert.equal(chat.state.get().state.runState, "idle")

  chat.dispose()
  assert.equal(live.subscriptions[0]?.disposed, true)
})

test("a draft is kept per session across chats, cleared when sent, kept when the send fails", async () => {
  const storage = memoryStorage()
  const server = fakeSessions(opening)
  const first = createChat({ sessions: server.client, streams: fakeStreams().streams, sessionId, storage })
  first.setDraft("half a thought")
  assert.equal(storage.values.get(draftKey(sessionId)), "half a thought")
  first.dispose()

  const second = createChat({ sessions: server.client, streams: fakeStreams().streams, sessionId, storage })
  assert.equal(second.draft.get(), "half a thought", "a reload finds the draft")

  server.failNextSends(new ApiError("TURN_RUNNING", "A turn runs.", { status: 409 }))
  assert.equal(await second.send(), false)
  assert.equal(second.draft.get(), "half a thought")
  assert.equal(second.state.get().error?.code, "TURN_RUNNING")

  server.failNextSends(null)
  second.setDraft("  the whole thought  ")
  assert.equal(await second.send(), true)
  assert.equal(server.sent[0]?.text, "the whole thought")
  assert.ok(server.sent[0]?.clientId, "sends carry a client id (idempotent)")
  assert.equal(second.draft.get(), "")
  assert.equal(storage.values.has(draftKey(sessionId)), false)
  assert.equal(await second.send("   "), false, "blank messages are not sent")
  second.dispose()
})

test("turn readings: running, waiting for an answer, paused, interrupted, failed; resume and rewind", () => {
  const running = reduceSession(opening)
  assert.deepEqual(turnNotice(running), { kind: "running" })
  assert.ok(isBusy(running))
  assert.ok(!canResume(running))

  seq = 5
  const asking = reduceSession(
    [
      event("permission.asked", {
        id: "per_1",
        sessionId,
        messageId: "msg_a1",
        callId: "c1",
        tool: "run",
        kind: "execute",
        patterns: ["npm test"],
        always: ["npm test*"],
        title: "Run npm test",
        metadata: {},
      }),
    ],
    running,
  )
  assert.equal(asking.runState, "paused")
  assert.equal(turnNotice(asking), null, "the open question explains the pause")
  assert.ok(isBusy(asking))
  assert.ok(!canResume(asking), "a question is answered, not resumed")

  const looping = reduceSession(
    [event("turn.paused", { turnId: "trn_1", reason: "loop", message: "Same call three times." })],
    running,
  )
  assert.equal(turnNotice(looping)?.kind, "paused")
  assert.ok(canResume(looping))

  const interrupted = reduceSession(
    [event("turn.ended", { turnId: "trn_1", outcome: "interrupted", message: "The server stopped." })],
    running,
  )
  assert.deepEqual(turnNotice(interrupted), { kind: "interrupted", reason: "The server stopped." })
  assert.ok(canResume(interrupted))
  assert.ok(!isBusy(interrupted))

  const failed = reduceSession(
    [
      event("turn.ended", {
        turnId: "trn_1",
        outcome: "failed",
        error: { code: "MODEL_AUTH", message: "The key was refused." },
      }),
    ],
    running,
  )
  assert.deepEqual(turnNotice(failed), { kind: "failed", reason: "The key was refused." })

  const done = reduceSession([event("turn.ended", { turnId: "trn_1", outcome: "completed" })], running)
  assert.equal(turnNotice(done), null)
  assert.equal(activeRevert(done), null)
  const reverted = event("session.reverted", { messageId: "msg_u1", mode: "chat", fromSeq: 2, toSeq: 10 })
  const rewound = reduceSession([reverted], done)
  assert.equal(activeRevert(rewound)?.eventId, reverted.id)
  assert.equal(rewound.messages.length, 0)
  const undone = reduceSession(
    [event("session.reverted", { undoes: reverted.id, mode: "chat", fromSeq: 2, toSeq: 10 })],
    rewound,
  )
  assert.equal(activeRevert(undone), null)
  assert.equal(undone.messages.length, 2)
})

test("a tool card names its title, else the command or path of the call", () => {
  assert.equal(toolSubject("Write a.txt", { path: "b.txt" }), "Write a.txt")
  assert.equal(toolSubject(undefined, { command: "npm test" }), "npm test")
  assert.equal(toolSubject(undefined, { path: "src" }), "src")
  assert.equal(toolSubject(undefined, "raw"), "")
})

test("costs show enough digits for small amounts", () => {
  assert.equal(formatCost(0, "en"), "$0.00")
  assert.equal(formatCost(0.0042, "en"), "$0.0042")
  assert.equal(formatCost(1.5, "en"), "$1.50")
  assert.match(formatCost(1.5, "de"), /^1,50\s\$$/)
})

test("the session list keeps pinned first, then the newest; archiving moves a session out of view", () => {
  const old = session({ id: "ses_old", updatedAt: "2026-01-01T00:00:00.000Z" })
  const fresh = session({ id: "ses_new", updatedAt: "2026-01-03T00:00:00.000Z" })
  const pinned = session({ id: "ses_pin", pinned: true, updatedAt: "2025-01-01T00:00:00.000Z" })
  assert.deepEqual(
    sortSessions([old, fresh, pinned]).map((item) => item.id),
    ["ses_pin", "ses_new", "ses_old"],
  )
  const touched = { ...old, updatedAt: "2026-02-01T00:00:00.000Z" }
  assert.deepEqual(
    placeSession([pinned, fresh, old], touched, false).map((item) => item.id),
    ["ses_pin", "ses_old", "ses_new"],
  )
  assert.deepEqual(
    placeSession([pinned, fresh, old], { ...fresh, archived: true }, false).map((item) => item.id),
    ["ses_pin", "ses_old"],
  )
  assert.deepEqual(
    placeSession([], { ...fresh, archived: true }, true).map((item) => item.id),
    ["ses_new"],
  )
})

test("Markdown: paragraphs, headings, lists, quotes, fenced code (finished or still streaming)", () => {
  const blocks = parseMarkdown(
    "# Plan\n\nFirst line\nsecond line\n\n- one\n- two\n\n1. a\n2. b\n\n> quoted\n\n```ts src/x.ts\nconst x = 1\n\nx++\n```\nafter\n\n```sh\nnpm te",
  )
  assert.deepEqual(blocks, [
    { type: "heading", level: 1, text: "Plan" },
    { type: "paragraph", text: "First line\nsecond line" },
    { type: "list", ordered: false, items: ["one", "two"] },
    { type: "list", ordered: true, items: ["a", "b"] },
    { type: "quote", text: "quoted" },
    { type: "code", language: "ts", info: "src/x.ts", code: "const x = 1\n\nx++", open: false },
    { type: "paragraph", text: "after" },
    { type: "code", language: "sh", info: "", code: "npm te", open: true },
  ])
  assert.deepEqual(parseMarkdown(""), [])
})

test("Markdown inline: code, bold, italics, safe links only", () => {
  assert.deepEqual(parseInline("Run `npm test` then **look** at *this* [docs](https://example.test/a)."), [
    { type: "text", text: "Run " },
    { type: "code", text: "npm test" },
    { type: "text", text: " then " },
    { type: "strong", text: "look" },
    { type: "text", text: " at " },
    { type: "emphasis", text: "this" },
    { type: "text", text: " " },
    { type: "link", text: "docs", href: "https://example.test/a" },
    { type: "text", text: "." },
  ])
  const unsafe = parseInline("[x](javascript:alert)")
  assert.ok(
    unsafe.every((span) => span.type === "text"),
    "javascript: links stay text",
  )
  assert.equal(unsafe.map((span) => span.text).join(""), "[x](javascript:alert)")
})
