import assert from "node:assert/strict"
import { existsSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import { implementerCall as implementer, openGate, planStep, said, startRun } from "./gate-fixture.ts"
import { bugfixFields, projectId, step } from "./run-fixture.ts"

test("calls the permission policy asks about wait at a dangerous-tool gate: reject never runs them, approve runs once, edit runs as edited", async (t) => {
  await using started = await startRun(
    t,
    [
      ...planStep(bugfixFields("greet", "src/**"), "bugfix"),
      implementer("write_file", { path: "src/a.js", content: "first\n" }),
    ],
    { goal: "Greet", createdBy: "usr_1" },
    // The project's policy: ask before edits and commands; never publish.
    {
      permissions: async (id, userId) => {
        assert.equal(id, projectId)
        assert.equal(userId, "usr_1")
        return {
          mode: "ask",
          project: [{ tool: "run", pattern: "npm publish*", action: "deny" }],
          user: [{ tool: "run", pattern: "ls*", action: "allow" }],
        }
      },
    },
  )
  const { runId, fixture } = started
  const { engine, model, sandbox } = fixture
  let state = started.state
  const packageId = state.packages[0]!.id
  const file = join(fixture.directory, "worktrees", runId, packageId, "src", "a.js")
  const first = openGate(state)
  assert.equal(first.kind, "dangerous-tool")
  assert.equal(first.packageId, packageId)
  assert.match(first.reason, /permission policy asks a person before the implementer may write src\/a\.js/)
  assert.deepEqual(first.payload, {
    tool: "write_file",
    input: { path: "src/a.js", content: "first\n" },
    title: "Write src/a.js",
    kind: "edit",
    patterns: ["src/a.js"],
  })
  const calls = model.requests.length
  for (let look = 0; look < 3; look++) await engine.idle(runId)
  assert.equal(model.requests.length, calls, "no model call while the gate waits")
  assert.equal(existsSync(file), false, "nothing was written while the gate waits")

  // Reject: the file is never written, and the implementer reads the comment.
  model.enqueue(implementer("run", { command: "npm run build" }))
  await engine.decideGate(runId, first.id, { decision: "reject", comment: "Not that content." }, "usr_1")
  state = await engine.idle(runId)
  assert.equal(existsSync(file), false, "a rejected write never happened")
  assert.match(
    said(model.requests.at(-1)),
    /A person rejected this call; it did not run\. They said: Not that content\./,
  )
  const build = openGate(state)
  assert.equal((build.payload as { command?: string }).command, "npm run build")

  // A rejected command never runs; a command the policy denies is refused without a gate; one it allows runs.
  model.enqueue(
    implementer("run", { command: "npm publish" }),
    implementer("run", { command: "ls src" }),
    implementer("run", { command: "npm run lint" }),
  )
  await engine.decideGate(runId, build.id, { decision: "reject", comment: "No builds." }, "usr_1")
  state = await engine.idle(runId)
  assert.deepEqual(sandbox.ran, ["ls src"])
  assert.match(said(model.requests.at(-2)), /forbids run on \\"npm publish\\"/)
  const lint = openGate(state)
  assert.equal((lint.payload as { command?: string }).command, "npm run lint")

  // Approve: the command runs once.
  model.enqueue(implementer("write_file", { path: "src/a.js", content: "second\n" }))
  await engine.decideGate(runId, lint.id, { decision: "approve" }, "usr_1")
  state = await engine.idle(runId)
  assert.deepEqual(sandbox.ran, ["ls src", "npm run lint"])
  const write = openGate(state)
  assert.equal((write.payload as { tool: string }).tool, "write_file")

  // Edit: the call runs as edited (the gate's payload with a changed input), and is not asked again.
  model.enqueue(
    implementer("report", { summary: "Wrote a.js." }),
    { model: "scripted/implementer", text: "Done." },
    ...step("tester", [{ name: "run_checks", input: {} }]),
    ...step("reviewer", [{ name: "review", input: { verdict: "approve", comment: "ok" } }]),
  )
  await engine.decideGate(
    runId,
    write.id,
    {
      decision: "edit",
      payload: { ...(write.payload as object), input: { path: "src/a.js", content: "edited\n" } },
    },
    "usr_1",
  )
  state = await engine.idle(runId)
  assert.equal(await readFile(file, "utf8"), "edited\n")
  assert.equal(state.ended?.outcome, "done", JSON.stringify(state.audit))
  assert.equal(state.gates.filter((gate) => gate.kind === "dangerous-tool").length, 4)
  assert.deepEqual(state.packages[0]!.files, ["src/a.js"])
})
