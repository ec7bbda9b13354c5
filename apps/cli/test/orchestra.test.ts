import assert from "node:assert/strict"
import { readdir, readFile } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import { createCliWorld, textReply } from "./cli-process.ts"

/** One streamed reply calling these tools (the real SDK path through the mock provider). */
function toolCalls(...calls: { name: string; input: unknown }[]) {
  return {
    type: "stream" as const,
    blocks: calls.map((call, index) => ({
      type: "tool-call" as const,
      id: `call_${call.name}_${index}_${Math.random().toString(36).slice(2, 8)}`,
      name: call.name,
      argumentChunks: [JSON.stringify(call.input)],
    })),
  }
}

const gateIds = (stdout: string) =>
  [...stdout.matchAll(/^ {2}(gat_\S+) {2}(\S+)/gm)].map((match) => [match[1], match[2]])

test("orchestra start, gates, context, approve/reject, status, list and export over a project directory", {
  timeout: 180_000,
}, async (context) => {
  const world = await createCliWorld(context)
  // Conductor: one package, the plan; the run then waits at the plan gate.
  world.mock.enqueue(
    toolCalls(
      {
        name: "create_package",
        input: {
          template: "feature",
          fields: {
            summary: "greet by name",
            details: "Add greet(name).",
            paths: "src/**",
            test_command: "true",
          },
        },
      },
      { name: "submit_plan", input: { summary: "One package: greet." } },
    ),
    textReply("Planned."),
  )
  const started = await world.run(["orchestra", "start", "--project", world.project, "Greet people by name"])
  assert.equal(started.code, 3, started.stderr + started.stdout)
  const runId = started.stdout.match(/^run (orc_\S+)/m)?.[1]
  assert.ok(runId, started.stdout)
  assert.match(started.stdout, /state: waiting for a decision at a gate/)
  assert.match(started.stderr, /▶ conductor plan/)
  const [[planGate, planKind] = []] = gateIds(started.stdout)
  assert.equal(planKind, "plan")

  const gates = await world.run(["orchestra", "gates", runId])
  assert.equal(gates.code, 0, gates.stderr)
  assert.match(gates.stdout, new RegExp(`^${planGate} +plan +open`, "m"))
  // The list says where each run is from the list's own summaries: this one waits at its plan gate.
  const waiting = await world.run(["orchestra", "list", "--project", world.project])
  assert.equal(waiting.code, 0, waiting.stderr)
  assert.match(waiting.stdout, new RegExp(`^${runId}  \\S+  waiting +0/1 packages  1 gate waiting  `, "m"))
  const shown = await world.run(["orchestra", "context", "show", runId])
  assert.equal(shown.code, 0, shown.stderr)
  assert.match(shown.stdout, /Greet people by name/)

  const noComment = await world.run(["orchestra", "reject", planGate!])
  assert.equal(noComment.code, 2)
  assert.match(noComment.stderr, /needs --comment/)

  // Approving drives implementer, tester and reviewer to the review gate.
  world.mock.enqueue(
    toolCalls(
      {
        name: "write_file",
        input: { path: "src/greet.js", content: "export const greet = (name) => name\n" },
      },
      { name: "report", input: { summary: "Added greet." } },
    ),
    textReply("Implemented."),
    toolCalls({ name: "run_checks", input: {} }),
    textReply("Checked."),
    toolCalls({ name: "review", input: { verdict: "approve", comment: "Looks right." } }),
    textReply("Reviewed."),
  )
  const approved = await world.run(["orchestra", "approve", planGate!])
  assert.equal(approved.code, 3, approved.stderr + approved.stdout)
  const [[reviewGate, reviewKind] = []] = gateIds(approved.stdout)
  assert.equal(reviewKind, "review")
  // Not merged yet: the change waits in the package's worktree.
  await assert.rejects(readFile(join(world.project, "src/greet.js"), "utf8"))
  assert.equal((await readdir(join(world.dataDir, "orchestra", runId))).length, 1)

  const done = await world.run(["orchestra", "approve", reviewGate!, "--run", runId])
  assert.equal(done.code, 0, done.stderr + done.stdout)
  assert.match(done.stdout, /state: ended done/)
  assert.match(done.stderr, /✓ merged pkg_\S+: src\/greet\.js/)
  assert.equal(
    await readFile(join(world.project, "src/greet.js"), "utf8"),
    "export const greet = (name) => name\n",
  )
  // The worktree is gone with the run's end (before the command exited).
  await assert.rejects(readdir(join(world.dataDir, "orchestra", runId)), { code: "ENOENT" })

  const status = await world.run(["orchestra", "status", runId, "--json"])
  const parsed = JSON.parse(status.stdout) as {
    state: { ended: { outcome: string }; packages: { state: string }[] }
  }
  assert.equal(parsed.state.ended.outcome, "done")
  assert.deepEqual(
    parsed.state.packages.map((item) => item.state),
    ["done"],
  )
  const listed = await world.run(["orchestra", "list", "--project", world.project])
  // Each run with where it is, from the list's own summaries.
  assert.match(
    listed.stdout,
    new RegExp(`^${runId}  \\S+  done +1/1 packages  \\$\\d+\\.\\d{4}  Greet people by name$`, "m"),
  )

  const file = join(world.home, "run.json")
  const exported = await world.run(["orchestra", "export", runId, "--output", file])
  assert.equal(exported.code, 0, exported.stderr)
  const document = JSON.parse(await readFile(file, "utf8")) as { format: string; report: string }
  assert.equal(document.format, "xionimus.run")
  assert.match(document.report, /Outcome: done/)

  const ended = await world.run(["orchestra", "approve", reviewGate!])
  assert.equal(ended.code, 1)
  assert.match(ended.stderr, /RUN_ENDED/)
  const unknown = await world.run(["orchestra", "status", "orc_0190b6f3a2c100AAAAAAAAAAAA"])
  assert.equal(unknown.code, 1)
  assert.match(unknown.stderr, /RUN_NOT_FOUND/)
})

test("orchestra start refuses a bad budget, an unknown preset and a missing goal before anything runs", async (context) => {
  const world = await createCliWorld(context)
  const badCalls = await world.run([
    "orchestra",
    "start",
    "--project",
    world.project,
    "--max-calls",
    "0",
    "goal",
  ])
  assert.equal(badCalls.code, 2)
  assert.match(badCalls.stderr, /--max-calls takes a whole number/)
  const noGoal = await world.run(["orchestra", "start", "--project", world.project, " "])
  assert.equal(noGoal.code, 2)
  const unknown = await world.run([
    "orchestra",
    "start",
    "--project",
    world.project,
    "--preset",
    "nope",
    "goal",
  ])
  assert.equal(unknown.code, 1)
  assert.match(unknown.stderr, /PRESET_INVALID.*"nope"/)
  const listed = await world.run(["orchestra", "list", "--project", world.project])
  assert.equal(listed.code, 1)
  assert.match(listed.stderr, /PROJECT_NOT_FOUND/)
})
