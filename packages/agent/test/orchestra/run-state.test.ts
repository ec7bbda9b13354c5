import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { test } from "node:test"
import { createEventBus, createInProcessPubSub } from "@xionimus/bus"
import type { StoredEvent } from "@xionimus/protocol"
import { openStore } from "@xionimus/store"
import { defaultPreset } from "../../src/orchestra/roles.ts"
import { type RunEventInput, runEvent } from "../../src/orchestra/run-events.ts"
import { applyRunEvent, inbox, reduceRun } from "../../src/orchestra/run-state.ts"

const runId = "orc_test"
const started = runEvent("e1", "run.started", {
  projectId: "prj_x",
  goal: "Add a greeting",
  preset: defaultPreset("scripted/model"),
  budget: {},
  baseCheckpoint: "base",
  createdBy: null,
})
const publish = (id: string, sender: string, recipients: "*" | string[], body: string) =>
  runEvent(id, "message.published", { id, sender, recipients, causationId: null, kind: "note", body })

function stored(events: RunEventInput[]): StoredEvent[] {
  return events.map((event, index) => ({
    ...event,
    stream: runId,
    seq: index + 1,
    time: new Date(0).toISOString(),
  }))
}

test("directed and broadcast messages reach their recipients after each one's read cursor", () => {
  const state = reduceRun(
    stored([
      started,
      publish("msg_1", "conductor", ["implementer"], "start with the parser"),
      publish("msg_2", "conductor", "*", "everyone: tests first"),
      publish("msg_3", "reviewer", ["tester"], "check the edge cases"),
      runEvent("r1", "message.read", { recipient: "implementer", upTo: 1 }),
    ]),
  )
  assert.deepEqual(
    state.messages.map((message) => message.seq),
    [1, 2, 3],
    "messages are numbered per run without gaps",
  )
  assert.deepEqual(
    inbox(state, "implementer").map((message) => message.body),
    ["everyone: tests first"],
    "the directed message before the cursor is read; the broadcast after it is not",
  )
  assert.deepEqual(
    inbox(state, "tester").map((message) => message.id),
    ["msg_2", "msg_3"],
  )
  assert.deepEqual(
    inbox(state, "conductor").map((message) => message.id),
    [],
    "a sender does not receive its own broadcast",
  )
  assert.deepEqual(
    inbox(state, "reviewer").map((message) => message.id),
    ["msg_2"],
  )
})

test("publishing the same envelope id twice delivers it once (the log's idempotent append)", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-run-state-"))
  const store = await openStore({ sqlitePath: join(directory, "x.sqlite") })
  const bus = createEventBus({ log: store.events, pubsub: createInProcessPubSub() })
  t.after(async () => {
    await bus.close()
    await store.close()
    await rm(directory, { recursive: true, force: true })
  })
  await bus.append(runId, [started])
  const envelope = publish("msg_stp_1_1", "conductor", ["implementer"], "hello")
  await bus.append(runId, [envelope])
  await bus.append(runId, [envelope])
  await bus.append(runId, [envelope, publish("msg_stp_1_2", "conductor", "*", "next")])
  const events = await bus.read(runId, { after: 0, limit: 100 })
  assert.equal(events.length, 3)
  const state = reduceRun(events)
  assert.deepEqual(
    inbox(state, "implementer").map((message) => [message.seq, message.body]),
    [
      [1, "hello"],
      [2, "next"],
    ],
  )
  // Even a duplicate in the log (an import from elsewhere) is delivered once.
  const twice = reduceRun([...events, { ...events[1]!, seq: 4 }])
  assert.equal(twice.messages.length, 2)
})

test("resume by seq: folding the rest onto a prefix's state equals folding everything", () => {
  const events = stored([
    started,
    publish("msg_1", "conductor", ["implementer"], "a"),
    runEvent("c1", "context.patched", {
      section: "goal",
      by: "conductor",
      baseVersion: 0,
      version: 1,
      text: "Greet",
    }),
    runEvent("s1", "step.started", {
      stepId: "stp_1",
      parentStepId: null,
      role: "conductor",
      model: "m",
      sessionId: "ses_1",
      purpose: "plan",
      contextVersion: 0,
    }),
    runEvent("s2", "step.ended", {
      stepId: "stp_1",
      outcome: "completed",
      usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.01, modelCalls: 1 },
    }),
    runEvent("r1", "message.read", { recipient: "implementer", upTo: 1 }),
  ])
  const whole = reduceRun(events)
  for (let k = 0; k <= events.length; k++) {
    const prefix = reduceRun(events.slice(0, k))
    const resumed = events.slice(k).reduce(applyRunEvent, k === 0 ? reduceRun([], undefined) : prefix)
    assert.deepEqual({ ...resumed, id: runId }, whole, `resumed after seq ${k}`)
  }
  // An event at or below the head is not applied again.
  assert.equal(applyRunEvent(whole, events[1]!), whole)
  assert.equal(whole.totals.byRole.conductor?.inputTokens, 10)
  assert.equal(whole.context.sections.goal.text, "Greet")
  assert.equal(whole.context.version, 1)
})
