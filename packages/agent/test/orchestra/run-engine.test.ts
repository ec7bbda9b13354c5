import assert from "node:assert/strict"
import { test } from "node:test"
import { createRunFixture, onePackageScript, testPreset } from "./run-fixture.ts"

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
  assert.deepEqual(state.ended, { outcome: "done", message: "All 1 work package(s) are done." })
  assert.equal(state.packages[0]!.state, "done")
  assert.deepEqual(fixture.sandbox.ran, ["npm test"])
})
