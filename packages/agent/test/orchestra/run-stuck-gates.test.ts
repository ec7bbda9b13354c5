// When work cannot go on by itself: malformed output blocks a package after bounded retries, the review
// bound and a conductor without a usable plan open stuck gates; a person moves packages (illegal moves
// refused with the reason).
import assert from "node:assert/strict"
import { test } from "node:test"
import { openGate, planStep, said, startRun } from "./gate-fixture.ts"
import { bugfixFields, step, testPreset } from "./run-fixture.ts"

test("malformed output is sent back, retried a bounded number of times, then the package is blocked", async (t) => {
  await using started = await startRun(
    t,
    [
      ...planStep(bugfixFields("typo", "src/**"), "bugfix"),
      { model: "scripted/implementer", text: "I fixed it." },
      { model: "scripted/implementer", toolCalls: [{ name: "report", input: {} }] },
      { model: "scripted/implementer", text: "Reported." },
      { model: "scripted/implementer", text: "Still done." },
    ],
    { goal: "Fix a typo" },
  )
  const { state, fixture } = started
  const { model } = fixture
  const item = state.packages[0]!
  assert.equal(item.state, "blocked")
  assert.match(item.reason, /malformed output 3 times/)
  assert.equal(item.reasonCode, "package.malformed")
  const rejected = state.audit.filter((entry) => entry.type === "output.rejected")
  assert.equal(rejected.length, 3)
  assert.match(
    said(model.requests[4]),
    /Your last step was not accepted: The step ended without a successful report call/,
  )
  assert.match(
    said(model.requests[5]),
    /TOOL_INPUT_INVALID|summary/,
    "the invalid call's error went back to the model",
  )
  const gate = openGate(state)
  assert.equal(gate.kind, "stuck")
  assert.equal(gate.packageId, item.id)
  // The package's reason is quoted as the gate's cause, with its code, so that it can be translated too.
  assert.equal(gate.code, "gate.stuck.blocked")
  assert.equal(gate.params?.causeCode, "package.malformed")
  assert.equal(gate.params?.count, 3)
  assert.ok(
    state.steps
      .filter((candidate) => candidate.purpose === "implement")
      .every((candidate) => candidate.outcome !== "completed"),
    "no step was accepted",
  )
})

test("the review bound reached opens a stuck gate; the implementer reads the reviewer's comments", async (t) => {
  const round = (comment: string) => [
    ...step("implementer", [
      { name: "write_file", input: { path: "test/greet.test.js", content: `// ${comment}\n` } },
      { name: "report", input: { summary: "Tests added." } },
    ]),
    ...step("tester", [{ name: "run_checks", input: {} }]),
    ...step("reviewer", [{ name: "review", input: { verdict: "request_changes", comment } }]),
  ]
  await using started = await startRun(
    t,
    [
      ...planStep({ summary: "greet", paths: "test/**", test_command: "npm test" }, "add-tests"),
      ...round("Add an empty-name case."),
      ...round("Still no empty-name case."),
    ],
    { goal: "Test greet" },
  )
  const { runId, state, fixture } = started
  const { engine, model } = fixture
  const item = state.packages[0]!
  assert.equal(item.reviewRounds, 2)
  assert.equal(item.state, "blocked")
  const gate = openGate(state)
  assert.equal(gate.kind, "stuck")
  assert.match(gate.reason, /reached its bound of 2 review rounds/)
  const secondImplementation = model.requests.filter((request) => request.model === "scripted/implementer")[2]
  assert.match(said(secondImplementation), /Changes requested on .*: Add an empty-name case\./)
  await engine.decideGate(runId, gate.id, { decision: "reject", comment: "Drop it." }, "usr_1")
  const after = await engine.idle(runId)
  assert.equal(after.packages[0]!.state, "cancelled")
  assert.deepEqual(after.ended, {
    outcome: "cancelled",
    message: "Every work package was cancelled.",
    code: "run.allCancelled",
    params: {},
  })
})

test("a person moves a package: illegal moves are refused with the reason, a cancel counts", async (t) => {
  await using started = await startRun(t, planStep(), { goal: "Greet", preset: testPreset() })
  const { runId, state, fixture } = started
  const { engine } = fixture
  const item = state.packages[0]!
  await assert.rejects(
    engine.movePackage(runId, item.id, "done", "ship it", "usr_1"),
    (error: Error & { code?: string }) =>
      error.code === "TRANSITION_NOT_ALLOWED" && /planned → done is not a transition/.test(error.message),
  )
  await assert.rejects(
    engine.movePackage(runId, "pkg_nope", "cancelled", "", "usr_1"),
    /no work package pkg_nope/,
  )
  const after = await engine.movePackage(runId, item.id, "cancelled", "Not needed.", "usr_1")
  assert.equal(after.state.packages[0]!.state, "cancelled")
  assert.equal(after.state.packages[0]!.reasonCode, undefined, "a person's own words have no code")
  assert.equal(after.state.audit.filter((entry) => entry.type === "package.refused").length, 1)
})

test("a conductor without a usable plan: bounded retries, then a stuck gate; rejecting it ends the run failed", async (t) => {
  await using started = await startRun(
    t,
    [
      { model: "scripted/conductor", text: "I would make two packages." },
      {
        model: "scripted/conductor",
        toolCalls: [{ name: "create_package", input: { template: "feature", fields: { summary: "x" } } }],
      },
      { model: "scripted/conductor", text: "Tried." },
      { model: "scripted/conductor", toolCalls: [{ name: "submit_plan", input: { summary: "Nothing." } }] },
      { model: "scripted/conductor", text: "Submitted." },
    ],
    { goal: "Something", preset: testPreset() },
  )
  const { runId, fixture } = started
  const { engine, model } = fixture
  let state = started.state
  assert.equal(state.runMalformed, 3)
  assert.equal(state.packages.length, 0, "a package with missing fields was not created")
  assert.match(
    said(model.requests[1]),
    /Your last step was not accepted: The step ended without a successful submit_plan call/,
  )
  assert.match(said(model.requests[2]), /The template \\"feature\\" needs details/)
  const gate = openGate(state)
  assert.equal(gate.kind, "stuck")
  assert.equal(gate.packageId, undefined)
  await engine.decideGate(runId, gate.id, { decision: "reject", comment: "Stop here." }, "usr_1")
  state = await engine.idle(runId)
  assert.deepEqual(state.ended, {
    outcome: "failed",
    message: "Stopped at a stuck gate: Stop here.",
    code: "run.stuckRejected",
    params: { comment: "Stop here." },
  })
})
