import assert from "node:assert/strict"
import { test } from "node:test"
import { runReason } from "@xionimus/protocol"
import { decideGate, openGate } from "../../src/orchestra/gates.ts"
import { inbox } from "../../src/orchestra/run-state.ts"
import { appendTo, moved, packageEvent, startedRun } from "./state-helpers.ts"

const planned = () =>
  appendTo(
    startedRun(),
    packageEvent("pkg_1"),
    packageEvent("pkg_2"),
    moved("pkg_1", "draft", "planned"),
    moved("pkg_2", "draft", "planned"),
    openGate("gat_plan", {
      kind: "plan",
      reason: runReason("gate.plan"),
      payload: { packages: ["pkg_1", "pkg_2"] },
    }),
  )

test("approving the plan assigns its packages; deciding twice is refused", () => {
  const state = planned()
  const after = appendTo(state, ...decideGate(state, "gat_plan", { decision: "approve" }, "usr_1"))
  assert.deepEqual(
    after.packages.map((item) => item.state),
    ["assigned", "assigned"],
  )
  assert.equal(after.gates[0]!.status, "approved")
  assert.equal(after.gates[0]!.decidedBy, "usr_1")
  assert.throws(() => decideGate(after, "gat_plan", { decision: "approve" }, null), /decided already/)
  assert.throws(() => decideGate(after, "gat_nope", { decision: "approve" }, null), /no gate gat_nope/)
})

test("an edited plan is what the others receive", () => {
  const state = planned()
  assert.throws(
    () => decideGate(state, "gat_plan", { decision: "edit", payload: { packages: [{ title: "x" }] } }, null),
    /edited payload is not valid/,
  )
  const after = appendTo(
    state,
    ...decideGate(
      state,
      "gat_plan",
      {
        decision: "edit",
        payload: { packages: [{ id: "pkg_2", instructions: "Only the README, please." }] },
      },
      "usr_1",
    ),
  )
  assert.equal(after.gates[0]!.status, "edited")
  assert.equal(after.packages[1]!.instructions, "Only the README, please.")
  assert.equal(after.packages[0]!.instructions, "Do it")
  assert.deepEqual(
    after.packages.map((item) => item.state),
    ["assigned", "assigned"],
  )
})

test("rejecting needs a comment, which the agent receives; the rejected plan's packages are cancelled", () => {
  const state = planned()
  assert.throws(() => decideGate(state, "gat_plan", { decision: "reject" }, null), /needs a comment/)
  const after = appendTo(
    state,
    ...decideGate(state, "gat_plan", { decision: "reject", comment: "Split the parser out." }, "usr_1"),
  )
  assert.deepEqual(
    after.packages.map((item) => item.state),
    ["cancelled", "cancelled"],
  )
  assert.deepEqual(
    inbox(after, "conductor").map((message) => [message.sender, message.kind, message.body]),
    [["human", "gate-comment", "The plan gate was rejected: Split the parser out."]],
  )
})

test("a budget gate approved raises the budget by the same amount; edited sets it; rejected ends the run", () => {
  let state = appendTo(
    startedRun(),
    openGate("gat_b1", {
      kind: "budget",
      reason: runReason("gate.budget.tokens", { used: 100, limit: 100 }),
      payload: { budget: { tokens: 100 } },
    }),
  )
  state = { ...state, budget: { tokens: 100 } }
  const raised = appendTo(state, ...decideGate(state, "gat_b1", { decision: "approve" }, null))
  assert.deepEqual(raised.budget, { tokens: 200 })
  const edited = appendTo(
    state,
    ...decideGate(state, "gat_b1", { decision: "edit", payload: { tokens: 150 } }, null),
  )
  assert.deepEqual(edited.budget, { tokens: 150 })
  const rejected = appendTo(
    state,
    ...decideGate(state, "gat_b1", { decision: "reject", comment: "enough" }, null),
  )
  assert.deepEqual(rejected.ended, {
    outcome: "budget",
    message: "The budget was not raised: enough",
    code: "run.budgetNotRaised",
    params: { comment: "enough" },
  })
  assert.throws(
    () => decideGate(state, "gat_b1", { decision: "edit", payload: { tokens: -1 } }, null),
    /not valid/,
  )
})

test("a stuck gate: approve lets the package go on, reject cancels it", () => {
  const state = appendTo(
    startedRun(),
    packageEvent("pkg_1"),
    moved("pkg_1", "draft", "blocked"),
    openGate("gat_s", {
      kind: "stuck",
      reason: runReason("gate.stuck.reviewBound", { packageId: "pkg_1", limit: 3 }),
      payload: {},
      packageId: "pkg_1",
    }),
  )
  const on = appendTo(state, ...decideGate(state, "gat_s", { decision: "approve" }, null))
  assert.equal(on.packages[0]!.state, "in_progress")
  const off = appendTo(state, ...decideGate(state, "gat_s", { decision: "reject", comment: "drop it" }, null))
  assert.equal(off.packages[0]!.state, "cancelled")
  assert.throws(() => decideGate(state, "gat_s", { decision: "edit", payload: {} }, null), /cannot be edited/)
})
