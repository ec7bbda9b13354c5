// What a role may do in a step: tools outside its allow-list are refused before they run (and recorded),
// and a package's commands run at most its template's sandbox time.
import assert from "node:assert/strict"
import { stat } from "node:fs/promises"
import { test } from "node:test"
import { planStep, said, startRun } from "./gate-fixture.ts"
import { bugfixFields, step } from "./run-fixture.ts"

test("a tool outside the role's allow-list is refused before it runs, and recorded", async (t) => {
  await using started = await startRun(
    t,
    [
      ...planStep(bugfixFields("typo", "src/**"), "bugfix"),
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
    ],
    { goal: "Fix a typo" },
  )
  const { state, fixture } = started
  const { model } = fixture
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
  await assert.rejects(stat(`${fixture.directory}/worktrees/${worktree}/src/evil.js`))
})

test("a package's commands run at most its template's sandbox time", async (t) => {
  await using started = await startRun(
    t,
    [
      ...planStep({ summary: "the CLI", audience: "users", paths: "docs/**" }, "docs"),
      ...step("implementer", [
        { name: "run", input: { command: "ls docs", timeoutSeconds: 500 } },
        { name: "write_file", input: { path: "docs/cli.md", content: "# CLI\n" } },
        { name: "report", input: { summary: "Wrote docs/cli.md." } },
      ]),
      ...step("tester", [{ name: "run_checks", input: {} }]),
      ...step("reviewer", [{ name: "review", input: { verdict: "approve", comment: "Clear." } }]),
    ],
    { goal: "Document the CLI" },
  )
  const { state, fixture } = started
  const { sandbox } = fixture
  assert.equal(state.ended?.outcome, "done", JSON.stringify(state.audit))
  assert.deepEqual(sandbox.ran, ["ls docs"])
  assert.deepEqual(sandbox.timeouts, [120_000], "the docs template allows 120 s; 500 s were asked")
  assert.deepEqual(
    state.packages[0]!.checks.map((check) => check?.passed ?? null),
    [true, null],
  )
})
