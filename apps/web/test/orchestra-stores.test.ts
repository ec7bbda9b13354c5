// The orchestra's stores against the real server, whose model is the mock provider server (the real SDK
// path): a run started from the list store, followed live by the run store over the WebSocket (its gates,
// packages, messages, CONTEXT.md and totals arrive from the stream, nobody asks for them), the plan edited
// at its gate, the review approved, the run ended; a fork; the list's pages and costs. And, with fakes,
// that a burst of stream events costs at most one more status read, and an older answer never wins.
import assert from "node:assert/strict"
import { after, before, test } from "node:test"
import {
  emptyRunState,
  type Page,
  type RunStatus,
  type RunSummary,
  type StoredEvent,
} from "@xionimus/protocol"
import { createOrchestraClient, type OrchestraClient, type SubscribeOptions } from "@xionimus/sdk"
import type { MockProviderServer } from "@xionimus/testing"
import { createRunView } from "../src/stores/orchestra-run.ts"
import { createRunList } from "../src/stores/orchestra-runs.ts"
import { planDraft, planEditPayload, runPhase } from "../src/stores/orchestra-view.ts"
import { planReplies, workReplies } from "./orchestra-mock-script.ts"
import { type RealServer, startRealServer } from "./support/real-server.ts"

let server: RealServer
let mock: MockProviderServer
let orchestra: OrchestraClient
let projectId: string

before(async () => {
  // Priced, so that the run's cost so far is more than zero.
  server = await startRealServer({
    mockModel: true,
    config: {
      models: {
        default: "mock/m",
        catalog: { "mock/m": { capabilities: { tools: true }, prices: { input: 3, output: 15 } } },
      },
    },
  })
  mock = server.mock!
  orchestra = createOrchestraClient({ baseUrl: server.url, headers: server.headers })
  projectId = (await server.client.createProject({ name: "Orchestra" })).id
})
after(() => server.close())

/** Polls a local condition; a run's steps take a while on a loaded machine, so the safety timeout is long. */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

test("a run started from the list and followed live through its gates to the end", async () => {
  const list = createRunList({
    orchestra,
    streams: server.streams,
    projectId,
    pageSize: 2,
    refreshDelayMs: 20,
  })
  await list.load()
  assert.deepEqual(list.state.get().items, [])

  mock.enqueue(...planReplies())
  const runId = await list.start({ goal: "Greet people by name", budget: { costUsd: 5 } })
  assert.ok(runId, JSON.stringify(list.state.get().startError))
  assert.equal(list.state.get().items[0]?.runId, runId)

  const run = createRunView({ orchestra, streams: server.streams, runId })
  try {
    await run.open()
    const status = () => run.state.get().status!
    // The plan gate arrives from the stream: the store is never asked to reload.
    await eventually(() => status().state.gates.some((gate) => gate.status === "open"), "the plan gate")
    const plan = status().state.gates.find((gate) => gate.status === "open")!
    assert.equal(plan.kind, "plan")
    // The list's row follows the run's stream: it shows the gate without being asked to load.
    await eventually(() => list.state.get().items[0]?.phase === "waiting", "the row waiting at the gate")
    assert.equal(list.state.get().items[0]?.openGates, 1)
    assert.equal(runPhase(status().state, status().active), "waiting")
    assert.equal(status().state.packages[0]?.title, "Feature: greet by name")
    assert.equal(status().state.context.sections.decisions.by, "conductor")
    assert.match(status().state.context.sections.decisions.text, /one package instead of two/)
    assert.deepEqual(
      status().state.messages.map((message) => [message.sender, message.recipients, message.kind]),
      [["conductor", ["implementer"], "handoff"]],
    )
    assert.ok(run.state.get().streamSeq >= plan.openedSeq)

    // A rejection needs a comment: the server's refusal reaches the store with its code.
    assert.equal(await run.decide(plan.id, { decision: "reject" }), false)
    assert.equal(run.state.get().actionError?.code, "GATE_DECISION_INVALID")

    // Edit the plan: a new title for the package is what the others receive.
    const draft = planDraft(status().state, plan)
    const payload = planEditPayload(draft, [{ ...draft[0]!, title: "Greet by name (edited)" }])
    assert.deepEqual(payload, { packages: [{ id: draft[0]!.id, title: "Greet by name (edited)" }] })
    mock.enqueue(...workReplies())
    assert.equal(await run.decide(plan.id, { decision: "edit", payload }), true)
    assert.equal(status().state.gates.find((gate) => gate.id === plan.id)?.status, "edited")
    assert.equal(status().state.packages[0]?.title, "Greet by name (edited)")

    await eventually(
      () => status().state.gates.some((gate) => gate.kind === "review" && gate.status === "open"),
      "the review gate",
    )
    const state = status().state
    assert.equal(state.packages[0]?.state, "approved")
    assert.deepEqual(
      state.steps.map((step) => [step.role, step.purpose, step.status]),
      [
        ["conductor", "plan", "ended"],
        ["implementer", "implement", "ended"],
        ["tester", "test", "ended"],
        ["reviewer", "review", "ended"],
      ],
    )
    assert.ok(state.totals.run.costUsd > 0)
    assert.equal(state.totals.run.modelCalls, 8)
    assert.deepEqual(Object.keys(state.totals.byRole).sort(), [
      "conductor",
      "implementer",
      "reviewer",
      "tester",
    ])
    assert.ok((state.totals.byPackage[state.packages[0]!.id]?.modelCalls ?? 0) === 6)
    assert.ok(state.messages.some((message) => message.sender === "implementer"))

    const review = state.gates.find((gate) => gate.kind === "review" && gate.status === "open")!
    assert.equal(await run.decide(review.id, { decision: "approve" }), true)
    await eventually(() => status().state.ended !== null, "the end of the run")
    assert.equal(status().state.ended?.outcome, "done")
    await eventually(() => status().state.packages[0]?.state === "done", "the package done")
    assert.equal(mock.pending(), 0)
    await eventually(() => list.state.get().items[0]?.phase === "done", "the row done")
    assert.deepEqual(list.state.get().items[0]?.packages, { done: 1, total: 1 })

    // Fork before the reviewer's step: a new run of the project, stopped, with the log up to there.
    const reviewerStep = status().state.steps.find((step) => step.role === "reviewer")!
    const forkId = await run.fork(reviewerStep.startedSeq - 1)
    assert.ok(forkId && forkId !== runId)
    const fork = await orchestra.status(forkId)
    assert.deepEqual(fork.state.forkedFrom, { runId, seq: reviewerStep.startedSeq - 1 })
    assert.equal(fork.state.ended, null)
    assert.equal(await createRunView({ orchestra, streams: server.streams, runId: forkId }).cancel(), true)

    // The list: the fork arrived from the project's run-list stream; each row's summary came with the page.
    await eventually(() => list.state.get().items.length === 2, "the fork in the list")
    await list.load()
    assert.deepEqual(
      list.state.get().items.map((item) => [item.runId, item.phase, item.origin?.kind ?? null]),
      [
        [forkId, "cancelled", "fork"],
        [runId, "done", null],
      ],
    )
    const row = list.state.get().items[1]!
    assert.deepEqual(row.packages, { done: 1, total: 1 })
    assert.equal(row.openGates, 0)
    assert.equal(row.budget.costUsd, 5)
    assert.equal(row.usage.modelCalls, 8)
    assert.ok(row.usage.costUsd > 0)
    assert.ok(row.updatedAt >= row.createdAt)
    assert.equal(list.state.get().hasNext, false)
  } finally {
    run.dispose()
    list.dispose()
  }
})

test("the list reads a page at a time by cursor, and no run's status", async () => {
  const asked: { limit?: number; cursor?: string }[] = []
  const summary = (runId: string, listedSeq: number): RunSummary => ({
    runId,
    listedSeq,
    goal: runId,
    createdBy: null,
    createdAt: new Date(0).toISOString(),
    updatedAt: new Date(0).toISOString(),
    head: 2,
    origin: null,
    phase: "idle",
    packages: { done: 0, total: 0 },
    openGates: 0,
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0, modelCalls: 0 },
    budget: {},
  })
  const pages: Record<string, Page<RunSummary>> = {
    first: { items: [summary("orc_c", 3), summary("orc_b", 2)], nextCursor: "2" },
    "2": { items: [summary("orc_a", 1)], nextCursor: null },
  }
  const list = createRunList({
    projectId: "prj_x",
    pageSize: 2,
    orchestra: {
      list: async (_projectId, query = {}) => {
        asked.push(query)
        return pages[query.cursor ?? "first"]!
      },
      start: async () => {
        throw new Error("not used")
      },
    },
  })
  await list.load()
  assert.deepEqual(
    list.state.get().items.map((item) => item.runId),
    ["orc_c", "orc_b"],
  )
  assert.equal(list.state.get().hasNext, true)
  await list.setPage(1)
  assert.deepEqual(
    list.state.get().items.map((item) => item.runId),
    ["orc_a"],
  )
  assert.equal(list.state.get().page, 1)
  assert.equal(list.state.get().hasNext, false)
  await list.setPage(7)
  assert.equal(list.state.get().page, 1, "the page stays within the list")
  await list.setPage(0)
  assert.deepEqual(asked, [{ limit: 2 }, { limit: 2, cursor: "2" }, { limit: 2, cursor: "2" }, { limit: 2 }])
})

function statusAt(runId: string, head: number): RunStatus {
  return {
    runId,
    state: { ...emptyRunState(runId), projectId: "prj_x", goal: "g", head },
    context: "",
    waiting: [],
    active: [],
  }
}

test("a burst of stream events costs one more status read, and an older answer never replaces a newer one", async () => {
  let listener: SubscribeOptions | undefined
  const answers: ((status: RunStatus) => void)[] = []
  let reads = 0
  const run = createRunView({
    runId: "orc_fake",
    streams: {
      subscribe(_stream, options) {
        listener = options
        return () => {
          listener = undefined
        }
      },
    },
    orchestra: {
      status: () => {
        reads++
        return new Promise((resolve) => answers.push(resolve))
      },
      decideGate: async () => statusAt("orc_fake", 20),
      cancel: async () => statusAt("orc_fake", 1),
      resume: async () => statusAt("orc_fake", 1),
      fork: async () => statusAt("orc_fork", 1),
      exportUrl: () => "",
    },
  })
  const opened = run.open()
  answers.shift()!(statusAt("orc_fake", 2))
  await opened
  assert.equal(reads, 1)
  const event = (seq: number) => ({ seq }) as StoredEvent
  for (let seq = 3; seq <= 12; seq++) listener!.onEvent(event(seq))
  assert.equal(reads, 2, "one read in flight for the first event")
  answers.shift()!(statusAt("orc_fake", 3))
  await eventually(() => reads === 3, "the one read that covers the rest of the burst")
  answers.shift()!(statusAt("orc_fake", 12))
  await eventually(() => run.state.get().status?.state.head === 12, "the newest status")
  assert.equal(reads, 3)
  assert.equal(run.state.get().streamSeq, 12)

  // A decision's answer is newer than what a slow read brings back later.
  listener!.onEvent(event(13))
  await run.decide("gate", { decision: "approve" })
  assert.equal(run.state.get().status?.state.head, 20, "the decision's answer is taken")
  answers.shift()!(statusAt("orc_fake", 5))
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(reads, 4)
  assert.equal(run.state.get().status?.state.head, 20, "the slower, older answer (head 5) was not taken")
  run.dispose()
  assert.equal(listener, undefined, "dispose unsubscribes")
})
