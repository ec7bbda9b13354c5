// What the run view derives from a run's state: board columns, phase, message flow with causation,
// CONTEXT.md rows with owners, totals, budget use, the plan edit payload, the budget form; and the
// runs routes of the URL.
import assert from "node:assert/strict"
import { test } from "node:test"
import type { RunGate, RunMessage, RunPackage, RunState } from "@xionimus/protocol"
import { parseRoute, routeHref } from "../src/lib/router.ts"
import {
  boardColumns,
  budgetUse,
  checksPassed,
  contextRows,
  messageFlow,
  parseBudget,
  planDraft,
  planEditPayload,
  runPhase,
  usageRows,
} from "../src/stores/orchestra-view.ts"

const usage = (costUsd: number, modelCalls = 1) => ({
  inputTokens: 100,
  outputTokens: 20,
  costUsd,
  modelCalls,
})

const pkg = (id: string, state: RunPackage["state"], title = id): RunPackage => ({
  id,
  template: "feature",
  title,
  instructions: `Do ${id}.`,
  acceptance: [],
  globs: [],
  dependsOn: [],
  by: "conductor",
  fields: {},
  gates: [],
  limits: { reviewRounds: 3, modelCalls: 30, sandboxSeconds: 600 },
  state,
  revision: 0,
  files: [],
  reviewRounds: 0,
  malformed: 0,
  approvedRevision: null,
  lastReview: null,
  checks: [],
  merged: false,
  conflict: null,
  reason: "",
})

const gate = (id: string, kind: RunGate["kind"], status: RunGate["status"] = "open"): RunGate => ({
  id,
  kind,
  reason: "why",
  payload: {},
  status,
  openedSeq: 1,
})

function runState(overrides: Partial<RunState> = {}): RunState {
  const section = (text = "", version = 0, by: string | null = null) => ({ text, version, by })
  return {
    id: "orc_1",
    projectId: "prj_1",
    goal: "Greet",
    preset: {
      name: "default",
      maxParallel: 4,
      dangerPatterns: [],
      retryBound: 3,
      gates: ["plan"],
      roles: [
        {
          name: "conductor",
          duty: "conductor",
          tools: [],
          transitions: [],
          owns: ["goal", "plan", "decisions"],
        },
        { name: "implementer", duty: "implementer", tools: [], transitions: [], owns: ["status"] },
        { name: "tester", duty: "tester", tools: [], transitions: [], owns: ["status"] },
        { name: "reviewer", duty: "reviewer", tools: [], transitions: [], owns: ["open_questions"] },
        {
          name: "human",
          duty: "human",
          tools: [],
          transitions: [],
          owns: ["goal", "decisions", "plan", "status", "open_questions"],
        },
      ],
    },
    budget: {},
    baseCheckpoint: "chk_1",
    createdBy: null,
    forkedFrom: null,
    ended: null,
    messages: [],
    readCursors: {},
    context: {
      version: 2,
      sections: {
        goal: section("Greet", 1, "human"),
        decisions: section("- one instead of two, because small", 1, "conductor"),
        plan: section(),
        status: section(),
        open_questions: section(),
      },
    },
    audit: [],
    packages: [],
    gates: [],
    steps: [],
    totals: { run: usage(0, 0), byRole: {}, byPackage: {} },
    runMalformed: 0,
    head: 3,
    ...overrides,
  }
}

test("the board has a column per state in order; blocked and cancelled only when used", () => {
  const columns = boardColumns([pkg("a", "in_progress"), pkg("b", "done"), pkg("c", "in_progress")])
  assert.deepEqual(
    columns.map((column) => [column.state, column.packages.map((item) => item.id)]),
    [
      ["draft", []],
      ["planned", []],
      ["assigned", []],
      ["in_progress", ["a", "c"]],
      ["ready_for_review", []],
      ["approved", []],
      ["done", ["b"]],
    ],
  )
  assert.deepEqual(
    boardColumns([pkg("x", "blocked")])
      .map((column) => column.state)
      .slice(-2),
    ["done", "blocked"],
  )
})

test("the phase: ended outcome, then an open gate, then running steps, else idle", () => {
  assert.equal(runPhase(runState()), "idle")
  assert.equal(runPhase(runState(), ["stp_1"]), "running")
  assert.equal(runPhase(runState({ gates: [gate("g", "plan")] }), ["stp_1"]), "waiting")
  assert.equal(runPhase(runState({ gates: [gate("g", "plan", "approved")] })), "idle")
  assert.equal(
    runPhase(runState({ gates: [gate("g", "plan")], ended: { outcome: "cancelled", message: "" } })),
    "cancelled",
  )
})

test("the message flow names the message each one answers", () => {
  const message = (seq: number, sender: string, causationId: string | null): RunMessage => ({
    id: `msg_${seq}`,
    sender,
    recipients: "*",
    causationId,
    kind: "note",
    body: `${seq}`,
    seq,
    eventSeq: seq + 10,
  })
  const flow = messageFlow([message(1, "conductor", "stp_1"), message(2, "implementer", "msg_1")])
  assert.deepEqual(
    flow.map((item) => item.replyTo),
    [null, { seq: 1, sender: "conductor" }],
  )
})

test("CONTEXT.md rows: every section in order, its owners (not the human), version and writer", () => {
  const rows = contextRows(runState())
  assert.deepEqual(
    rows.map((row) => [row.section, row.owners, row.version, row.by]),
    [
      ["goal", ["conductor"], 1, "human"],
      ["decisions", ["conductor"], 1, "conductor"],
      ["plan", ["conductor"], 0, null],
      ["status", ["implementer", "tester"], 0, null],
      ["open_questions", ["reviewer"], 0, null],
    ],
  )
})

test("totals: the most expensive first, then by name; budget use per limit, capped at 1", () => {
  assert.deepEqual(
    usageRows({ tester: usage(0.1), conductor: usage(0.3), implementer: usage(0.1) }).map((row) => row.key),
    ["conductor", "implementer", "tester"],
  )
  assert.deepEqual(
    budgetUse(
      { inputTokens: 900, outputTokens: 300, costUsd: 0.5, modelCalls: 12 },
      { costUsd: 2, tokens: 1000 },
    ),
    [
      { kind: "costUsd", used: 0.5, limit: 2, fraction: 0.25 },
      { kind: "tokens", used: 1200, limit: 1000, fraction: 1 },
    ],
  )
  assert.deepEqual(budgetUse(usage(1), {}), [])
})

test("a plan edit sends only what changed; nothing changed is null", () => {
  const state = runState({ packages: [pkg("pkg_1", "planned", "First"), pkg("pkg_2", "planned", "Second")] })
  const draft = planDraft(state, gate("g", "plan"))
  assert.deepEqual(draft, [
    { id: "pkg_1", title: "First", instructions: "Do pkg_1." },
    { id: "pkg_2", title: "Second", instructions: "Do pkg_2." },
  ])
  assert.equal(planEditPayload(draft, draft), null)
  assert.equal(planEditPayload(draft, [{ ...draft[0]!, title: "  " }]), null, "an emptied title is no change")
  assert.deepEqual(
    planEditPayload(draft, [
      { ...draft[0]!, title: "First, better" },
      { ...draft[1]!, instructions: "Do it differently." },
    ]),
    {
      packages: [
        { id: "pkg_1", title: "First, better" },
        { id: "pkg_2", instructions: "Do it differently." },
      ],
    },
  )
  assert.deepEqual(planDraft(state, gate("g", "review")), [])
})

test("the budget form: empty fields are no limit; a German decimal comma is read; bad numbers are refused", () => {
  assert.deepEqual(parseBudget({ costUsd: "", tokens: "", modelCalls: "" }), {})
  assert.deepEqual(parseBudget({ costUsd: "2,50", tokens: "100000", modelCalls: " 40 " }), {
    costUsd: 2.5,
    tokens: 100000,
    modelCalls: 40,
  })
  assert.equal(parseBudget({ costUsd: "-1", tokens: "", modelCalls: "" }), null)
  assert.equal(parseBudget({ costUsd: "", tokens: "1.5", modelCalls: "" }), null)
  assert.equal(parseBudget({ costUsd: "", tokens: "", modelCalls: "0" }), null)
  assert.equal(parseBudget({ costUsd: "abc", tokens: "", modelCalls: "" }), null)
})

test("the runs routes round-trip through the URL", () => {
  for (const route of [
    { name: "runs", projectId: "prj_1", runId: null },
    { name: "runs", projectId: "prj_1", runId: "orc_abc" },
  ] as const) {
    assert.deepEqual(parseRoute(routeHref(route)), route)
  }
  assert.equal(
    routeHref({ name: "runs", projectId: "prj_1", runId: "orc_abc" }),
    "#/projects/prj_1/runs/orc_abc",
  )
  assert.deepEqual(parseRoute("#/projects/prj_1"), { name: "project", projectId: "prj_1", path: null })
})

test("checks that hold: passed runs, and the reviewer's approval of the latest revision", () => {
  const item: RunPackage = {
    ...pkg("p", "approved"),
    acceptance: [
      { kind: "tests-pass", command: "true" },
      { kind: "files-within", globs: ["src/**"] },
      { kind: "reviewer-approval" },
    ],
    checks: [
      {
        packageId: "p",
        index: 0,
        passed: true,
        output: "",
        check: { kind: "tests-pass", command: "true" },
        revision: 2,
      },
      null,
      null,
    ],
    revision: 2,
    approvedRevision: 1,
  }
  assert.equal(checksPassed(item), 1, "an approval of an older revision does not count")
  assert.equal(checksPassed({ ...item, approvedRevision: 2 }), 2)
  assert.equal(checksPassed({ ...item, approvedRevision: null, revision: 0 }), 1)
})
