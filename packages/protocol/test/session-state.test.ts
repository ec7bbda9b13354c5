import assert from "node:assert/strict"
import { describe, it } from "node:test"
import { applySessionEvent, emptySessionState, reduceSession, type StoredEvent } from "../src/index.ts"

const stream = "ses_test"

/** Builds a log with gap-free seqs from [type, data] pairs. */
function log(...entries: [string, unknown][]): StoredEvent[] {
  return entries.map(([type, data], index) => ({
    id: `evt_${index + 1}`,
    stream,
    seq: index + 1,
    type,
    data,
    time: new Date(Date.UTC(2026, 10, 22, 8, 0, index)).toISOString(),
  }))
}

const usage = { inputTokens: 100, outputTokens: 20, cachedInputTokens: 10, costUsd: 0.5 }

const oneTurn = log(
  ["session.created", { projectId: "prj_1", title: "New session", model: null, forkedFrom: null }],
  [
    "message.created",
    { messageId: "msg_u1", role: "user", text: "Fix the test", queued: false, authorId: "usr_1" },
  ],
  ["turn.started", { turnId: "trn_1", messageId: "msg_u1", resumed: false, model: "scripted/a" }],
  ["checkpoint.recorded", { checkpointId: "c0", messageId: "msg_u1", changed: true }],
  ["assistant.started", { turnId: "trn_1", messageId: "msg_a1", model: "scripted/a" }],
  ["assistant.reasoning", { messageId: "msg_a1", text: "Let me " }],
  ["assistant.reasoning", { messageId: "msg_a1", text: "look." }],
  ["assistant.text", { messageId: "msg_a1", text: "Reading " }],
  ["assistant.text", { messageId: "msg_a1", text: "the file." }],
  ["tool.called", { messageId: "msg_a1", callId: "call_1", tool: "run", input: { command: "npm test" } }],
  ["assistant.finished", { messageId: "msg_a1", reason: "tool-calls", model: "scripted/a", usage }],
  ["tool.updated", { callId: "call_1", status: "running" }],
  ["tool.output", { callId: "call_1", text: "ok 1\n" }],
  ["tool.output", { callId: "call_1", text: "ok 2\n" }],
  ["tool.updated", { callId: "call_1", status: "completed", title: "npm test", output: "ok\n[exit code 0]" }],
  ["checkpoint.recorded", { checkpointId: "c1", messageId: "msg_u1", callId: "call_1", changed: false }],
  ["todo.updated", { todos: [{ content: "fix", status: "completed" }] }],
  ["assistant.started", { turnId: "trn_1", messageId: "msg_a2", model: "scripted/a" }],
  ["assistant.text", { messageId: "msg_a2", text: "Done." }],
  ["assistant.finished", { messageId: "msg_a2", reason: "stop", model: "scripted/a", usage }],
  ["turn.ended", { turnId: "trn_1", outcome: "completed" }],
)

describe("reduceSession", () => {
  it("folds a turn into messages, parts, usage, todos and checkpoints", () => {
    const state = reduceSession(oneTurn)
    assert.equal(state.id, stream)
    assert.equal(state.projectId, "prj_1")
    assert.equal(state.head, oneTurn.length)
    assert.equal(state.runState, "idle")
    assert.deepEqual(
      state.messages.map((message) => [message.role, message.id]),
      [
        ["user", "msg_u1"],
        ["assistant", "msg_a1"],
        ["assistant", "msg_a2"],
      ],
    )
    const first = state.messages[1]
    assert.ok(first?.role === "assistant")
    assert.deepEqual(first.parts, [
      { type: "reasoning", text: "Let me look." },
      { type: "text", text: "Reading the file." },
      {
        type: "tool",
        callId: "call_1",
        tool: "run",
        input: { command: "npm test" },
        status: "completed",
        title: "npm test",
        output: "ok\n[exit code 0]",
        liveOutput: "ok 1\nok 2\n",
      },
    ])
    assert.equal(first.finish?.reason, "tool-calls")
    assert.deepEqual(state.usage, { inputTokens: 200, outputTokens: 40, cachedInputTokens: 20, costUsd: 1 })
    assert.deepEqual(state.todos, [{ content: "fix", status: "completed" }])
    assert.deepEqual(
      state.checkpoints.map((checkpoint) => [checkpoint.checkpointId, checkpoint.callId ?? null]),
      [
        ["c0", null],
        ["c1", "call_1"],
      ],
    )
    assert.deepEqual(state.lastTurn, {
      turnId: "trn_1",
      messageId: "msg_u1",
      resumed: false,
      outcome: "completed",
    })
  })

  it("is the same folded at once or event by event, and leaves earlier states unchanged", () => {
    let state = emptySessionState()
    const snapshots: string[] = []
    for (const event of oneTurn) {
      const before = JSON.stringify(state)
      const next = applySessionEvent(state, event)
      assert.equal(JSON.stringify(state), before)
      snapshots.push(before)
      state = next
    }
    assert.deepEqual(state, reduceSession(oneTurn))
    assert.equal(new Set(snapshots).size, snapshots.length)
  })

  it("ignores unknown event types but still advances the head", () => {
    const events = log(
      ["session.created", { projectId: "prj_1", title: "t", model: null, forkedFrom: null }],
      ["session.future.thing", { whatever: true }],
    )
    const state = reduceSession(events)
    assert.equal(state.head, 2)
    assert.equal(state.title, "t")
  })

  it("applies settings from session.updated", () => {
    const state = reduceSession(
      log(
        ["session.created", { projectId: "prj_1", title: "New session", model: null, forkedFrom: null }],
        ["session.updated", { title: "Fix the test", automaticTitle: true }],
        ["session.updated", { tags: ["bug"], pinned: true, model: "openai/gpt-5" }],
        ["session.updated", { archived: true }],
      ),
    )
    assert.equal(state.title, "Fix the test")
    assert.equal(state.automaticTitle, true)
    assert.deepEqual(state.tags, ["bug"])
    assert.equal(state.pinned, true)
    assert.equal(state.archived, true)
    assert.equal(state.model, "openai/gpt-5")
  })

  it("tracks queued messages until their turn starts, and drops them on cancel", () => {
    const events = log(
      ["message.created", { messageId: "msg_1", role: "user", text: "a", queued: false, authorId: null }],
      ["turn.started", { turnId: "trn_1", messageId: "msg_1", resumed: false, model: "m/a" }],
      ["message.created", { messageId: "msg_2", role: "user", text: "b", queued: true, authorId: null }],
      ["message.created", { messageId: "msg_3", role: "user", text: "c", queued: true, authorId: null }],
    )
    const waiting = reduceSession(events)
    assert.deepEqual(waiting.queued, ["msg_2", "msg_3"])
    assert.equal(waiting.runState, "running")

    const next = reduceSession(
      log(
        ...events.map((event) => [event.type, event.data] as [string, unknown]),
        ["turn.ended", { turnId: "trn_1", outcome: "completed" }],
        ["turn.started", { turnId: "trn_2", messageId: "msg_2", resumed: false, model: "m/a" }],
      ),
    )
    assert.deepEqual(next.queued, ["msg_3"])
    // A queued message moves below the turn it waited for, at its own turn's seq.
    assert.deepEqual(
      next.messages.map((message) => message.role === "user" && [message.id, message.seq, message.queued]),
      [
        ["msg_1", 1, false],
        ["msg_3", 4, true],
        ["msg_2", 6, false],
      ],
    )
    const moved = next.messages.at(-1)
    assert.equal(moved?.role === "user" && moved.queuedSeq, 3)

    const cancelled = reduceSession(
      log(...events.map((event) => [event.type, event.data] as [string, unknown]), [
        "turn.ended",
        { turnId: "trn_1", outcome: "cancelled" },
      ]),
    )
    assert.deepEqual(cancelled.queued, [])
    assert.ok(cancelled.messages.every((message) => message.role !== "user" || !message.queued))
    assert.equal(cancelled.runState, "idle")
  })

  it("opens and closes permission requests and follows the run state", () => {
    const asked = {
      id: "per_1",
      sessionId: stream,
      messageId: "msg_a",
      callId: "call_1",
      tool: "run",
      kind: "execute",
      patterns: ["rm -rf x"],
      always: ["rm *"],
      title: "Run rm -rf x",
      metadata: {},
      reason: "tool",
    }
    const base: [string, unknown][] = [
      ["turn.started", { turnId: "trn_1", messageId: "msg_1", resumed: false, model: "m/a" }],
      ["permission.asked", asked],
    ]
    const paused = reduceSession(log(...base))
    assert.equal(paused.runState, "paused")
    assert.equal(paused.openPermission?.id, "per_1")

    const other = reduceSession(
      log(...base, ["permission.decided", { requestId: "per_2", decision: { kind: "deny" } }]),
    )
    assert.equal(other.openPermission?.id, "per_1")

    const decided = reduceSession(
      log(...base, [
        "permission.decided",
        { requestId: "per_1", decision: { kind: "allow-once" }, decidedBy: null },
      ]),
    )
    assert.equal(decided.openPermission, null)
    assert.equal(decided.runState, "running")
  })

  it("maps turn outcomes to run states and settles calls left running", () => {
    const started: [string, unknown][] = [
      ["message.created", { messageId: "msg_1", role: "user", text: "a", queued: false, authorId: null }],
      ["turn.started", { turnId: "trn_1", messageId: "msg_1", resumed: false, model: "m/a" }],
      ["assistant.started", { turnId: "trn_1", messageId: "msg_a", model: "m/a" }],
      ["tool.called", { messageId: "msg_a", callId: "call_1", tool: "run", input: { command: "sleep 30" } }],
      ["tool.updated", { callId: "call_1", status: "running" }],
    ]
    const interrupted = reduceSession(
      log(...started, [
        "turn.ended",
        { turnId: "trn_1", outcome: "interrupted", message: "The server stopped" },
      ]),
    )
    assert.equal(interrupted.runState, "interrupted")
    assert.equal(interrupted.lastTurn?.outcome, "interrupted")
    const part = interrupted.messages[1]?.role === "assistant" ? interrupted.messages[1].parts[0] : undefined
    assert.equal(part?.type === "tool" && part.status, "error")
    assert.equal(part?.type === "tool" && part.error?.code, "TOOL_ABORTED")

    const budget = reduceSession(
      log(
        ...started,
        ["turn.paused", { turnId: "trn_1", reason: "budget", message: "spent" }],
        ["turn.ended", { turnId: "trn_1", outcome: "budget", message: "spent" }],
      ),
    )
    assert.equal(budget.runState, "paused")
    const failed = reduceSession(
      log(...started, [
        "turn.ended",
        { turnId: "trn_1", outcome: "failed", error: { code: "X", message: "y" } },
      ]),
    )
    assert.equal(failed.runState, "idle")
    assert.deepEqual(failed.lastTurn?.error, { code: "X", message: "y" })
  })

  it("hides chat ranges of active rewinds and shows them again when undone", () => {
    const chat: [string, unknown][] = [
      ["message.created", { messageId: "msg_1", role: "user", text: "one", queued: false, authorId: null }],
      ["assistant.started", { turnId: "trn_1", messageId: "msg_a1", model: "m/a" }],
      ["message.created", { messageId: "msg_2", role: "user", text: "two", queued: false, authorId: null }],
      ["assistant.started", { turnId: "trn_2", messageId: "msg_a2", model: "m/a" }],
      ["assistant.text", { messageId: "msg_a2", text: "hidden answer" }],
    ]
    const rewound = reduceSession(
      log(...chat, [
        "session.reverted",
        { messageId: "msg_2", mode: "code-and-chat", fromSeq: 3, toSeq: 5, restored: "c1", before: "c2" },
      ]),
    )
    assert.deepEqual(
      rewound.messages.map((message) => message.id),
      ["msg_1", "msg_a1"],
    )
    assert.equal(rewound.allMessages.length, 4)
    assert.deepEqual(rewound.reverts, [
      {
        eventId: "evt_6",
        seq: 6,
        messageId: "msg_2",
        mode: "code-and-chat",
        fromSeq: 3,
        toSeq: 5,
        restored: "c1",
        before: "c2",
        undone: false,
      },
    ])

    const codeOnly = reduceSession(
      log(...chat, ["session.reverted", { messageId: "msg_2", mode: "code", fromSeq: 3, toSeq: 5 }]),
    )
    assert.equal(codeOnly.messages.length, 4)

    const undone = reduceSession(
      log(
        ...chat,
        ["session.reverted", { messageId: "msg_2", mode: "chat", fromSeq: 3, toSeq: 5 }],
        [
          "message.created",
          { messageId: "msg_3", role: "user", text: "three", queued: false, authorId: null },
        ],
        ["session.reverted", { undoes: "evt_6", mode: "chat", fromSeq: 3, toSeq: 5 }],
      ),
    )
    assert.deepEqual(
      undone.messages.map((message) => message.id),
      ["msg_1", "msg_a1", "msg_2", "msg_a2", "msg_3"],
    )
    assert.equal(undone.reverts[0]?.undone, true)
  })

  it("keeps the latest compaction and the tail of long live output", () => {
    const big = "x".repeat(60_000)
    const state = reduceSession(
      log(
        ["assistant.started", { turnId: "trn_1", messageId: "msg_a", model: "m/a" }],
        ["tool.called", { messageId: "msg_a", callId: "call_1", tool: "run", input: {} }],
        ["tool.output", { callId: "call_1", text: big }],
        ["tool.output", { callId: "call_1", text: `${big}END` }],
        [
          "session.compacted",
          { throughSeq: 2, summary: "first", prunedCallIds: [], tokensBefore: 10, tokensAfter: 5 },
        ],
        [
          "session.compacted",
          { throughSeq: 4, summary: "second", prunedCallIds: ["call_1"], tokensBefore: 10, tokensAfter: 5 },
        ],
      ),
    )
    assert.equal(state.compaction?.summary, "second")
    assert.equal(state.compaction?.seq, 6)
    const part = state.messages[0]?.role === "assistant" ? state.messages[0].parts[0] : undefined
    assert.ok(part?.type === "tool")
    assert.equal(part.liveOutput.length, 100_000)
    assert.ok(part.liveOutput.endsWith("END"))
  })
})

describe("folding in place", () => {
  it("leaves the initial state and the folded state untouched by later folds and live events", () => {
    const half = Math.floor(oneTurn.length / 2)
    const first = reduceSession(oneTurn.slice(0, half))
    const firstMessages = first.messages.map((message) => JSON.stringify(message))
    const firstLength = first.allMessages.length
    const whole = reduceSession(oneTurn.slice(half), first)
    assert.equal(first.allMessages.length, firstLength, "the initial state's lists are not appended to")
    assert.deepEqual(
      first.messages.map((message) => JSON.stringify(message)),
      firstMessages,
      "nor are its messages replaced",
    )
    assert.deepEqual(whole, reduceSession(oneTurn), "continuing a fold equals folding at once")
    const wholeLength = whole.allMessages.length
    const next = applySessionEvent(
      whole,
      log(["message.created", { messageId: "msg_u9", role: "user", text: "More", queued: false }])[0]!,
    )
    assert.equal(whole.allMessages.length, wholeLength, "a live event copies, it does not append in place")
    assert.equal(next.allMessages.length, wholeLength + 1)
  })
})
