import assert from "node:assert/strict"
import { test } from "node:test"
import { isEdge, transition } from "../../src/orchestra/package-machine.ts"
import { roleNamed } from "../../src/orchestra/roles.ts"
import { runEvent } from "../../src/orchestra/run-events.ts"
import type { RunState } from "../../src/orchestra/run-state.ts"
import { appendTo, moved, packageEvent, startedRun } from "./state-helpers.ts"

const role = (state: RunState, name: string) => roleNamed(state.preset!, name)!

test("illegal transitions are refused with their reasons and recorded", () => {
  const state = appendTo(startedRun(), packageEvent("pkg_1"))
  const skip = transition(state, "pkg_1", "in_progress", role(state, "conductor"), "go", "r1")
  assert.equal(skip.ok, false)
  assert.match(
    !skip.ok ? skip.reason : "",
    /draft → in_progress is not a transition .*from draft: planned, blocked, cancelled/,
  )
  const notMine = transition(state, "pkg_1", "planned", role(state, "implementer"), "go", "r2")
  assert.match(
    !notMine.ok ? notMine.reason : "",
    /The role implementer may not move a package from draft to planned/,
  )
  assert.ok(!skip.ok && skip.event && !notMine.ok && notMine.event)
  const audited = appendTo(state, skip.event, notMine.event)
  assert.deepEqual(
    audited.audit.map((entry) => entry.type),
    ["package.refused", "package.refused"],
  )
  assert.equal(audited.packages[0]!.state, "draft", "a refused transition changes nothing")
  const missing = transition(state, "pkg_9", "planned", role(state, "conductor"), "go", "r3")
  assert.equal(!missing.ok && missing.code, "PACKAGE_NOT_FOUND")
  const ok = transition(state, "pkg_1", "planned", role(state, "conductor"), "plan", "r4")
  assert.equal(ok.ok, true)
  assert.equal(appendTo(state, ok.event!).packages[0]!.state, "planned")
  assert.equal(isEdge("done", "cancelled"), false)
  assert.equal(isEdge("in_progress", "blocked"), true)
})

test("done needs the reviewer's approval of the latest diff, green checks, approved gates and the merge", () => {
  let state = appendTo(
    startedRun(),
    packageEvent("pkg_1", { gates: ["review"] }),
    moved("pkg_1", "draft", "planned"),
    moved("pkg_1", "planned", "assigned"),
    moved("pkg_1", "assigned", "in_progress"),
    runEvent("ch1", "package.changed", { id: "pkg_1", revision: 1, files: ["src/a.ts"] }),
    moved("pkg_1", "in_progress", "ready_for_review"),
    runEvent("rv1", "review.submitted", {
      packageId: "pkg_1",
      by: "reviewer",
      verdict: "approve",
      comment: "",
      revision: 1,
    }),
    moved("pkg_1", "ready_for_review", "approved"),
    // The implementer changed the files again after the approval: revision 2 is not approved.
    runEvent("ch2", "package.changed", { id: "pkg_1", revision: 2, files: ["src/b.ts"] }),
  )
  const human = role(state, "human")
  let result = transition(state, "pkg_1", "done", human, "finish", "d1")
  assert.equal(result.ok, false)
  const reason = !result.ok ? result.reason : ""
  assert.match(reason, /the reviewer has not approved the latest diff \(revision 2\)/)
  assert.match(reason, /the check tests-pass \(npm test\) has not run on revision 2/)
  assert.match(reason, /the review gate has not been approved/)
  assert.match(reason, /not merged/)
  state = appendTo(
    state,
    runEvent("rv2", "review.submitted", {
      packageId: "pkg_1",
      by: "reviewer",
      verdict: "approve",
      comment: "",
      revision: 2,
    }),
    runEvent("k1", "check.ran", {
      packageId: "pkg_1",
      index: 0,
      check: { kind: "tests-pass", command: "npm test" },
      passed: false,
      output: "1 failing",
      revision: 2,
    }),
    runEvent("g1", "gate.opened", {
      id: "gat_1",
      kind: "review",
      packageId: "pkg_1",
      reason: "review",
      payload: {},
    }),
  )
  result = transition(state, "pkg_1", "done", human, "finish", "d2")
  assert.match(!result.ok ? result.reason : "", /tests-pass \(npm test\) is red/)
  assert.match(!result.ok ? result.reason : "", /review gate has not been approved/)
  state = appendTo(
    state,
    runEvent("k2", "check.ran", {
      packageId: "pkg_1",
      index: 0,
      check: { kind: "tests-pass", command: "npm test" },
      passed: true,
      output: "ok",
      revision: 2,
    }),
    runEvent("g2", "gate.decided", { id: "gat_1", decision: "approve", by: "usr_1" }),
    runEvent("mg", "merge.applied", { packageId: "pkg_1", files: ["src/a.ts", "src/b.ts"] }),
  )
  assert.equal(transition(state, "pkg_1", "done", role(state, "implementer"), "finish", "d3").ok, false)
  result = transition(state, "pkg_1", "done", human, "finish", "d4")
  assert.equal(result.ok, true, !result.ok ? result.reason : "")
  state = appendTo(state, result.event!)
  const again = transition(state, "pkg_1", "in_progress", human, "reopen", "d5")
  assert.match(!again.ok ? again.reason : "", /pkg_1 is done; a done package does not move any more/)
})
