// Gates a person decides while the run waits: the plan (reject with a comment, edit), a dangerous command
// (reject never runs it, edit runs the edited one), the budget, and a cancel while a command waits.
import assert from "node:assert/strict"
import { test } from "node:test"
import { implementerCall, openGate, planStep, said, startRun } from "./gate-fixture.ts"
import { bugfixFields, featureFields, onePackageScript, step, testPreset } from "./run-fixture.ts"

test("a gate pauses the run with zero model calls; reject (the comment reaches the conductor), then edit the plan", async (t) => {
  await using started = await startRun(t, planStep(), {
    goal: "Greet people",
    preset: testPreset(),
    createdBy: "usr_1",
  })
  const { runId, fixture } = started
  const { engine, model } = fixture
  const first = openGate(started.state)
  assert.equal(first.kind, "plan")
  assert.equal(model.requests.length, 2)
  for (let look = 0; look < 3; look++) {
    assert.equal((await engine.status(runId)).waiting[0]?.id, first.id)
    await engine.idle(runId)
  }
  assert.equal(model.requests.length, 2, "no model call while the gate waits")

  model.enqueue(...planStep(featureFields("greet by name, in two languages")))
  await engine.decideGate(runId, first.id, { decision: "reject", comment: "Greet in German too." }, "usr_1")
  let state = await engine.idle(runId)
  assert.equal(state.packages[0]!.state, "cancelled")
  assert.match(said(model.requests[2]), /The plan gate was rejected: Greet in German too\./)
  const second = openGate(state)
  assert.equal(second.kind, "plan")
  assert.notEqual(second.id, first.id)
  const planned = state.packages[1]!
  await assert.rejects(
    engine.decideGate(runId, second.id, { decision: "reject" }, "usr_1"),
    /needs a comment/,
  )

  model.enqueue(...onePackageScript().slice(2))
  await engine.decideGate(
    runId,
    second.id,
    {
      decision: "edit",
      payload: { packages: [{ id: planned.id, instructions: "Only touch src/greet.js; say Hallo." }] },
    },
    "usr_1",
  )
  state = await engine.idle(runId)
  const implementerRequest = model.requests.find((request) => request.model === "scripted/implementer")
  assert.match(
    said(implementerRequest),
    /Only touch src\/greet.js; say Hallo\./,
    "the edited plan is what the implementer receives",
  )
  assert.equal(state.gates.at(-1)?.kind, "review")
  assert.equal(state.gates.at(-1)?.code, "gate.review", "the gate's reason has its code")
  await engine.decideGate(runId, state.gates.at(-1)!.id, { decision: "approve" }, "usr_1")
  state = await engine.idle(runId)
  assert.equal(state.ended?.outcome, "done")
})

test("a dangerous command never runs when its gate is rejected; an edited one runs as edited", async (t) => {
  await using started = await startRun(
    t,
    [
      ...planStep(bugfixFields("stale build", "src/**"), "bugfix"),
      implementerCall("run", { command: "rm -rf build" }),
    ],
    { goal: "Fix the stale build" },
  )
  const { runId, fixture } = started
  const { engine, model, sandbox } = fixture
  const gate = openGate(started.state)
  assert.equal(gate.kind, "dangerous-tool")
  assert.deepEqual(gate.payload, { tool: "run", command: "rm -rf build" })
  assert.equal(gate.code, "gate.dangerousCommand")
  assert.deepEqual(gate.params, { role: "implementer", command: "rm -rf build" })
  assert.equal(sandbox.ran.length, 0, "nothing ran while the gate waits")
  const calls = model.requests.length

  model.enqueue(implementerCall("run", { command: "rm -rf build/cache" }))
  await engine.decideGate(
    runId,
    gate.id,
    { decision: "reject", comment: "Never delete the build folder." },
    "usr_1",
  )
  let state = await engine.idle(runId)
  assert.equal(model.requests.length, calls + 1)
  assert.match(
    said(model.requests.at(-1)),
    /TOOL_REJECTED_AT_GATE|A person rejected this command; it did not run\. They said: Never delete the build folder\./,
  )
  const edited = openGate(state)
  assert.equal(edited.kind, "dangerous-tool")

  model.enqueue(
    implementerCall("report", { summary: "Listed the build." }),
    { model: "scripted/implementer", text: "Done." },
    ...step("tester", [{ name: "run_checks", input: {} }]),
    ...step("reviewer", [{ name: "review", input: { verdict: "approve", comment: "ok" } }]),
  )
  await engine.decideGate(runId, edited.id, { decision: "edit", payload: { command: "ls build" } }, "usr_1")
  state = await engine.idle(runId)
  assert.equal(state.ended?.outcome, "done", JSON.stringify(state.audit))
  assert.ok(!sandbox.ran.some((command) => command.includes("rm -rf")), "a rejected command never ran")
  assert.deepEqual(sandbox.ran, ["ls build", "npm test"])
})

test("budget stop: the budget gate opens with no further model calls; approve raises it, reject ends the run", async (t) => {
  await using started = await startRun(
    t,
    [
      ...planStep(bugfixFields("typo", "src/**"), "bugfix"),
      ...step("implementer", [{ name: "report", input: { summary: "Fixed." } }]),
    ],
    { goal: "Fix a typo", budget: { modelCalls: 2 } },
  )
  const { runId, fixture } = started
  const { engine, model } = fixture
  let gate = openGate(started.state)
  assert.equal(gate.kind, "budget")
  assert.match(gate.reason, /made 2 of its 2 model calls/)
  assert.equal(gate.code, "gate.budget.modelCalls")
  assert.equal(model.requests.length, 2)
  await engine.idle(runId)
  assert.equal(model.requests.length, 2, "no model call at the budget gate")
  await engine.decideGate(runId, gate.id, { decision: "approve" }, "usr_1")
  let state = await engine.idle(runId)
  assert.deepEqual(state.budget, { modelCalls: 4 })
  assert.equal(model.requests.length, 4)
  gate = openGate(state)
  assert.equal(gate.kind, "budget")
  await engine.decideGate(runId, gate.id, { decision: "reject", comment: "That is enough." }, "usr_1")
  state = await engine.idle(runId)
  assert.deepEqual(state.ended, {
    outcome: "budget",
    message: "The budget was not raised: That is enough.",
    code: "run.budgetNotRaised",
    params: { comment: "That is enough." },
  })
  assert.equal(state.totals.run.modelCalls, 4)
})

test("cancel while a step waits at a dangerous-command gate: the step ends cancelled and the command never runs", async (t) => {
  await using started = await startRun(
    t,
    [
      ...planStep(bugfixFields("stale build", "src/**"), "bugfix"),
      implementerCall("run", { command: "git push --force" }),
    ],
    { goal: "Fix it" },
  )
  const { runId, fixture } = started
  const { engine, sandbox } = fixture
  const status = await engine.status(runId)
  assert.equal(status.waiting[0]?.kind, "dangerous-tool")
  assert.equal(status.active.length, 1, "the step waits, still running")
  const cancelled = await engine.cancel(runId, "usr_1")
  assert.equal(cancelled.state.ended?.outcome, "cancelled")
  assert.equal(cancelled.state.steps.at(-1)?.outcome, "cancelled")
  assert.deepEqual(cancelled.active, [])
  assert.equal(sandbox.ran.length, 0)
})
