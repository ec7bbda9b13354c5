import assert from "node:assert/strict"
import { test } from "node:test"
import { runLogHash } from "../../src/orchestra/run-export.ts"
import {
  createResponderModel,
  createRunFixture,
  onePackageScript,
  projectId,
  runTwoFixes,
  testPreset,
  twoPackageResponder,
  twoPackageScript,
  ungatedPreset,
} from "./run-fixture.ts"

test("a one-package run: plan gate, implement, test, review, review gate, merge, done", async (t) => {
  await using fixture = await createRunFixture(t, onePackageScript())
  const { engine } = fixture
  const started = await engine.start({
    projectId: "prj_orchestra",
    goal: "Greet people by name",
    preset: testPreset(),
    createdBy: "usr_1",
  })
  let state = await engine.idle(started.runId)
  const plan = state.gates.find((gate) => gate.kind === "plan")
  assert.equal(plan?.status, "open", JSON.stringify(state.audit, null, 1))
  state = (await engine.decideGate(started.runId, plan!.id, { decision: "approve" }, "usr_1")).state
  state = await engine.idle(started.runId)
  const review = state.gates.find((gate) => gate.kind === "review")
  assert.equal(
    review?.status,
    "open",
    JSON.stringify({ audit: state.audit, packages: state.packages }, null, 1),
  )
  await engine.decideGate(started.runId, review!.id, { decision: "approve" }, "usr_1")
  state = await engine.idle(started.runId)
  assert.deepEqual(state.ended, {
    outcome: "done",
    message: "All 1 work package(s) are done.",
    code: "run.allDone",
    params: { count: 1 },
  })
  assert.equal(state.packages[0]!.state, "done")
  assert.deepEqual(fixture.sandbox.ran, ["npm test"])
  assert.deepEqual(fixture.worktrees.merged, [state.packages[0]!.id])
  assert.deepEqual(
    fixture.worktrees.removed,
    [state.packages[0]!.id],
    "a merged package's worktree is removed",
  )
})

test("the span tree of a scripted run: each step's role, model, parent, usage and the CONTEXT.md version it saw", async (t) => {
  await using fixture = await createRunFixture(t, onePackageScript())
  const { engine } = fixture
  const { runId } = await engine.start({
    projectId,
    goal: "Greet people by name",
    preset: testPreset(),
    createdBy: null,
  })
  let state = await engine.idle(runId)
  await engine.decideGate(runId, state.gates[0]!.id, { decision: "approve" }, null)
  state = await engine.idle(runId)
  await engine.decideGate(runId, state.gates[1]!.id, { decision: "approve" }, null)
  state = await engine.idle(runId)
  const spans = state.steps.map((step) => ({
    id: step.stepId.split("_").at(-1),
    parent: step.parentStepId?.split("_").at(-1) ?? null,
    role: step.role,
    model: step.model,
    purpose: step.purpose,
    context: step.contextVersion,
    outcome: step.outcome,
    usage: step.usage,
  }))
  const usage = { inputTokens: 20, outputTokens: 10, costUsd: 0, modelCalls: 2 }
  assert.deepEqual(spans, [
    {
      id: "1",
      parent: null,
      role: "conductor",
      model: "scripted/conductor",
      purpose: "plan",
      context: 1,
      outcome: "completed",
      usage,
    },
    {
      id: "2",
      parent: "1",
      role: "implementer",
      model: "scripted/implementer",
      purpose: "implement",
      context: 2,
      outcome: "completed",
      usage,
    },
    {
      id: "3",
      parent: "2",
      role: "tester",
      model: "scripted/tester",
      purpose: "test",
      context: 2,
      outcome: "completed",
      usage,
    },
    {
      id: "4",
      parent: "3",
      role: "reviewer",
      model: "scripted/reviewer",
      purpose: "review",
      context: 2,
      outcome: "completed",
      usage,
    },
  ])
  assert.ok(state.steps.every((step) => typeof step.latencyMs === "number" && step.latencyMs >= 0))
  assert.deepEqual(state.totals.run, { inputTokens: 80, outputTokens: 40, costUsd: 0, modelCalls: 8 })
  assert.deepEqual(state.totals.byRole.tester, usage)
  const packageId = state.packages[0]!.id
  assert.deepEqual(Object.keys(state.totals.byPackage), [packageId])
  assert.equal(state.totals.byPackage[packageId]!.modelCalls, 6)
  // Each role's conversation is a session of its own, linked from the step.
  const implementerSession = await fixture.events(state.steps[1]!.sessionId)
  assert.equal(implementerSession[0]!.type, "session.created")
  assert.ok(implementerSession.some((event) => event.type === "tool.called"))
  // The reviewer received the implementer's directed message, and its read cursor moved past it.
  assert.equal(state.messages.find((message) => message.sender === "implementer")?.recipients[0], "reviewer")
  assert.equal(state.readCursors.reviewer_1, 1)
})

test("implementers on disjoint packages run at the same time; overlapping ones one after another; parallel runs stay deterministic", async (t) => {
  const order = async (paths: [string, string]) => {
    const port = createResponderModel(twoPackageResponder(paths))
    await using fixture = await createRunFixture(t, [])
    const { runId, state } = await runTwoFixes(fixture, port)
    const events = await fixture.events(runId)
    const implementing = events
      .filter((event) => event.type === "step.started" || event.type === "step.ended")
      .map((event) => {
        const step = state.steps.find(
          (candidate) => candidate.stepId === (event.data as { stepId: string }).stepId,
        )!
        return step.purpose === "implement"
          ? `${event.type === "step.started" ? "start" : "end"} ${step.packageId!.split("_").at(-1)}`
          : ""
      })
      .filter(Boolean)
    return { implementing, hash: runLogHash(events, runId) }
  }
  const disjoint = await order(["src/**", "lib/**"])
  assert.deepEqual(
    disjoint.implementing.slice(0, 2),
    ["start 1", "start 2"],
    "both started before either ended",
  )
  const overlapping = await order(["src/**", "src/util/**"])
  assert.deepEqual(
    overlapping.implementing.slice(0, 2),
    ["start 1", "end 1"],
    "the second waited for the first",
  )
  const again = [await order(["src/**", "lib/**"]), await order(["src/**", "lib/**"])]
  assert.deepEqual(
    again.map((run) => run.hash),
    [disjoint.hash, disjoint.hash],
  )
})

test("an overlapping merge is reported as a conflict: the package is blocked and a stuck gate waits for a person", async (t) => {
  await using fixture = await createRunFixture(t, twoPackageScript().slice(0, 8))
  const { engine } = fixture
  const { runId } = await engine.start({
    projectId,
    goal: "Two fixes",
    preset: ungatedPreset(),
    createdBy: null,
  })
  fixture.worktrees.conflicts.set(`pkg_${runId.slice(4)}_1`, ["src/dates.js"])
  const state = await engine.idle(runId)
  const item = state.packages[0]!
  assert.deepEqual(item.conflict, ["src/dates.js"])
  assert.equal(item.state, "blocked")
  assert.match(item.reason, /Merging conflicts with the project in src\/dates.js/)
  const gate = state.gates.find((candidate) => candidate.status === "open")!
  assert.equal(gate.kind, "stuck")
  assert.equal(gate.packageId, item.id)
  assert.deepEqual(fixture.worktrees.merged, [], "nothing was merged: never last-writer-wins")
  assert.equal(state.packages[1]!.state, "assigned", "the other package waits while the gate is open")
})
