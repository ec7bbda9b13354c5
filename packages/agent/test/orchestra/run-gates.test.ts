import assert from "node:assert/strict"
import { test } from "node:test"
import type { ModelRequest } from "@xionimus/llm"
import {
  bugfixFields,
  createRunFixture,
  featureFields,
  onePackageScript,
  projectId,
  step,
  testPreset,
  ungatedPreset,
} from "./run-fixture.ts"

/** Everything a model request said (system, user and tool messages), as text. */
const said = (request: ModelRequest | undefined) => JSON.stringify(request?.messages ?? [])

const plan = (fields: Record<string, string> = featureFields("greet by name"), template = "feature") =>
  step("conductor", [
    { name: "create_package", input: { template, fields } },
    { name: "submit_plan", input: { summary: "One package." } },
  ])

test("a gate pauses the run with zero model calls; reject (the comment reaches the conductor), then edit the plan", async (t) => {
  await using fixture = await createRunFixture(t, plan())
  const { engine, model } = fixture
  const { runId } = await engine.start({
    projectId,
    goal: "Greet people",
    preset: testPreset(),
    createdBy: "usr_1",
  })
  let state = await engine.idle(runId)
  const first = state.gates.find((gate) => gate.status === "open")!
  assert.equal(first.kind, "plan")
  assert.equal(model.requests.length, 2)
  for (let look = 0; look < 3; look++) {
    assert.equal((await engine.status(runId)).waiting[0]?.id, first.id)
    await engine.idle(runId)
  }
  assert.equal(model.requests.length, 2, "no model call while the gate waits")

  model.enqueue(...plan(featureFields("greet by name, in two languages")))
  await engine.decideGate(runId, first.id, { decision: "reject", comment: "Greet in German too." }, "usr_1")
  state = await engine.idle(runId)
  assert.equal(state.packages[0]!.state, "cancelled")
  assert.match(said(model.requests[2]), /The plan gate was rejected: Greet in German too\./)
  const second = state.gates.find((gate) => gate.status === "open")!
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
  await engine.decideGate(runId, state.gates.at(-1)!.id, { decision: "approve" }, "usr_1")
  state = await engine.idle(runId)
  assert.equal(state.ended?.outcome, "done")
})

test("a dangerous command never runs when its gate is rejected; an edited one runs as edited", async (t) => {
  await using fixture = await createRunFixture(t, [
    ...plan(bugfixFields("stale build", "src/**"), "bugfix"),
    { model: "scripted/implementer", toolCalls: [{ name: "run", input: { command: "rm -rf build" } }] },
  ])
  const { engine, model, sandbox } = fixture
  const { runId } = await engine.start({
    projectId,
    goal: "Fix the stale build",
    preset: ungatedPreset(),
    createdBy: null,
  })
  let state = await engine.idle(runId)
  const gate = state.gates.find((candidate) => candidate.status === "open")!
  assert.equal(gate.kind, "dangerous-tool")
  assert.deepEqual(gate.payload, { tool: "run", command: "rm -rf build" })
  assert.equal(sandbox.ran.length, 0, "nothing ran while the gate waits")
  const calls = model.requests.length

  model.enqueue({
    model: "scripted/implementer",
    toolCalls: [{ name: "run", input: { command: "rm -rf build/cache" } }],
  })
  await engine.decideGate(
    runId,
    gate.id,
    { decision: "reject", comment: "Never delete the build folder." },
    "usr_1",
  )
  state = await engine.idle(runId)
  assert.equal(model.requests.length, calls + 1)
  assert.match(
    said(model.requests.at(-1)),
    /TOOL_REJECTED_AT_GATE|A person rejected this command; it did not run\. They said: Never delete the build folder\./,
  )
  const edited = state.gates.find((candidate) => candidate.status === "open")!
  assert.equal(edited.kind, "dangerous-tool")

  model.enqueue(
    {
      model: "scripted/implementer",
      toolCalls: [{ name: "report", input: { summary: "Listed the build." } }],
    },
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

test("a tool outside the role's allow-list is refused before it runs, and recorded", async (t) => {
  await using fixture = await createRunFixture(t, [
    ...plan(bugfixFields("typo", "src/**"), "bugfix"),
    ...step("implementer", [
      { name: "create_package", input: { template: "docs", fields: {} } },
      { name: "report", input: { summary: "Nothing to change." } },
    ]),
    ...step("tester", [{ name: "run_checks", input: {} }]),
    {
      model: "scripted/reviewer",
      toolCalls: [{ name: "write_file", input: { path: "src/evil.js", content: "x" } }],
    },
    ...step("reviewer", [{ name: "review", input: { verdict: "approve", comment: "ok" } }]),
  ])
  const { engine, model } = fixture
  const { runId } = await engine.start({
    projectId,
    goal: "Fix a typo",
    preset: ungatedPreset(),
    createdBy: null,
  })
  const state = await engine.idle(runId)
  assert.equal(state.ended?.outcome, "done", JSON.stringify(state.audit))
  const refused = state.audit.filter((entry) => entry.type === "tool.refused").map((entry) => entry.data)
  assert.deepEqual(
    refused.map((data) => [
      (data as { role: string }).role,
      (data as { tool: string }).tool,
      (data as { code: string }).code,
    ]),
    [
      ["implementer", "create_package", "TOOL_NOT_ALLOWED_FOR_ROLE"],
      ["reviewer", "write_file", "TOOL_NOT_ALLOWED_FOR_ROLE"],
    ],
  )
  assert.equal(state.packages.length, 1, "the refused create_package created nothing")
  const reviewerSaw = model.requests.filter((request) => request.model === "scripted/reviewer")[1]
  assert.match(said(reviewerSaw), /The reviewer role may not call write_file/)
  assert.ok(
    !model.requests
      .find((request) => request.model === "scripted/reviewer")!
      .tools?.some((tool) => tool.name === "write_file"),
    "the reviewer is not offered write_file",
  )
  const worktree = fixture.worktrees.created[0]!
  await assert.rejects(
    import("node:fs/promises").then((fs) =>
      fs.stat(`${fixture.directory}/worktrees/${worktree}/src/evil.js`),
    ),
  )
})

test("budget stop: the budget gate opens with no further model calls; approve raises it, reject ends the run", async (t) => {
  await using fixture = await createRunFixture(t, [
    ...plan(bugfixFields("typo", "src/**"), "bugfix"),
    ...step("implementer", [{ name: "report", input: { summary: "Fixed." } }]),
  ])
  const { engine, model } = fixture
  const { runId } = await engine.start({
    projectId,
    goal: "Fix a typo",
    preset: ungatedPreset(),
    budget: { modelCalls: 2 },
    createdBy: null,
  })
  let state = await engine.idle(runId)
  let gate = state.gates.find((candidate) => candidate.status === "open")!
  assert.equal(gate.kind, "budget")
  assert.match(gate.reason, /made 2 of its 2 model calls/)
  assert.equal(model.requests.length, 2)
  await engine.idle(runId)
  assert.equal(model.requests.length, 2, "no model call at the budget gate")
  await engine.decideGate(runId, gate.id, { decision: "approve" }, "usr_1")
  state = await engine.idle(runId)
  assert.deepEqual(state.budget, { modelCalls: 4 })
  assert.equal(model.requests.length, 4)
  gate = state.gates.find((candidate) => candidate.status === "open")!
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

test("malformed output is sent back, retried a bounded number of times, then the package is blocked", async (t) => {
  await using fixture = await createRunFixture(t, [
    ...plan(bugfixFields("typo", "src/**"), "bugfix"),
    { model: "scripted/implementer", text: "I fixed it." },
    { model: "scripted/implementer", toolCalls: [{ name: "report", input: {} }] },
    { model: "scripted/implementer", text: "Reported." },
    { model: "scripted/implementer", text: "Still done." },
  ])
  const { engine, model } = fixture
  const { runId } = await engine.start({
    projectId,
    goal: "Fix a typo",
    preset: ungatedPreset(),
    createdBy: null,
  })
  const state = await engine.idle(runId)
  const item = state.packages[0]!
  assert.equal(item.state, "blocked")
  assert.match(item.reason, /malformed output 3 times/)
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
  const gate = state.gates.find((candidate) => candidate.status === "open")!
  assert.equal(gate.kind, "stuck")
  assert.equal(gate.packageId, item.id)
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
  await using fixture = await createRunFixture(t, [
    ...step("conductor", [
      {
        name: "create_package",
        input: {
          template: "add-tests",
          fields: { summary: "greet", paths: "test/**", test_command: "npm test" },
        },
      },
      { name: "submit_plan", input: { summary: "Tests." } },
    ]),
    ...round("Add an empty-name case."),
    ...round("Still no empty-name case."),
  ])
  const { engine, model } = fixture
  const { runId } = await engine.start({
    projectId,
    goal: "Test greet",
    preset: ungatedPreset(),
    createdBy: null,
  })
  const state = await engine.idle(runId)
  const item = state.packages[0]!
  assert.equal(item.reviewRounds, 2)
  assert.equal(item.state, "blocked")
  const gate = state.gates.find((candidate) => candidate.status === "open")!
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
  await using fixture = await createRunFixture(t, plan())
  const { engine } = fixture
  const { runId } = await engine.start({ projectId, goal: "Greet", preset: testPreset(), createdBy: null })
  const state = await engine.idle(runId)
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
  assert.equal(after.state.audit.filter((entry) => entry.type === "package.refused").length, 1)
})

test("cancel while a step waits at a dangerous-command gate: the step ends cancelled and the command never runs", async (t) => {
  await using fixture = await createRunFixture(t, [
    ...plan(bugfixFields("stale build", "src/**"), "bugfix"),
    { model: "scripted/implementer", toolCalls: [{ name: "run", input: { command: "git push --force" } }] },
  ])
  const { engine, sandbox } = fixture
  const { runId } = await engine.start({
    projectId,
    goal: "Fix it",
    preset: ungatedPreset(),
    createdBy: null,
  })
  await engine.idle(runId)
  const status = await engine.status(runId)
  assert.equal(status.waiting[0]?.kind, "dangerous-tool")
  assert.equal(status.active.length, 1, "the step waits, still running")
  const cancelled = await engine.cancel(runId, "usr_1")
  assert.equal(cancelled.state.ended?.outcome, "cancelled")
  assert.equal(cancelled.state.steps.at(-1)?.outcome, "cancelled")
  assert.deepEqual(cancelled.active, [])
  assert.equal(sandbox.ran.length, 0)
})

test("a conductor without a usable plan: bounded retries, then a stuck gate; rejecting it ends the run failed", async (t) => {
  await using fixture = await createRunFixture(t, [
    { model: "scripted/conductor", text: "I would make two packages." },
    {
      model: "scripted/conductor",
      toolCalls: [{ name: "create_package", input: { template: "feature", fields: { summary: "x" } } }],
    },
    { model: "scripted/conductor", text: "Tried." },
    { model: "scripted/conductor", toolCalls: [{ name: "submit_plan", input: { summary: "Nothing." } }] },
    { model: "scripted/conductor", text: "Submitted." },
  ])
  const { engine, model } = fixture
  const { runId } = await engine.start({
    projectId,
    goal: "Something",
    preset: testPreset(),
    createdBy: null,
  })
  let state = await engine.idle(runId)
  assert.equal(state.runMalformed, 3)
  assert.equal(state.packages.length, 0, "a package with missing fields was not created")
  assert.match(
    said(model.requests[1]),
    /Your last step was not accepted: The step ended without a successful submit_plan call/,
  )
  assert.match(said(model.requests[2]), /The template \\"feature\\" needs details/)
  const gate = state.gates.find((candidate) => candidate.status === "open")!
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

test("a package's commands run at most its template's sandbox time", async (t) => {
  await using fixture = await createRunFixture(t, [
    ...step("conductor", [
      {
        name: "create_package",
        input: { template: "docs", fields: { summary: "the CLI", audience: "users", paths: "docs/**" } },
      },
      { name: "submit_plan", input: { summary: "Docs." } },
    ]),
    ...step("implementer", [
      { name: "run", input: { command: "ls docs", timeoutSeconds: 500 } },
      { name: "write_file", input: { path: "docs/cli.md", content: "# CLI\n" } },
      { name: "report", input: { summary: "Wrote docs/cli.md." } },
    ]),
    ...step("tester", [{ name: "run_checks", input: {} }]),
    ...step("reviewer", [{ name: "review", input: { verdict: "approve", comment: "Clear." } }]),
  ])
  const { engine, sandbox } = fixture
  const { runId } = await engine.start({
    projectId,
    goal: "Document the CLI",
    preset: ungatedPreset(),
    createdBy: null,
  })
  const state = await engine.idle(runId)
  assert.equal(state.ended?.outcome, "done", JSON.stringify(state.audit))
  assert.deepEqual(sandbox.ran, ["ls docs"])
  assert.deepEqual(sandbox.timeouts, [120_000], "the docs template allows 120 s; 500 s were asked")
  assert.deepEqual(
    state.packages[0]!.checks.map((check) => check?.passed ?? null),
    [true, null],
  )
})
