// The orchestra routes in process (inject) over the real run engine, SQLite, git checkpoints and
// worktrees, the bubblewrap sandbox and the scripted model: a one-package run through the plan and
// review gates to a merged change, the run list, CONTEXT.md, export, fork, and who may do what.
import assert from "node:assert/strict"
import { existsSync, readdirSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { after, before, test } from "node:test"
import { createScriptedModel, type ScriptedTurn } from "@xionimus/testing"
import { eventually } from "./support/frame-client.ts"
import { createSessionTestApp } from "./support/session-app.ts"
import { createTeamFixture, type TeamFixture } from "./support/team-fixture.ts"
import type { TestApp } from "./support/test-app.ts"

/** A role's step: one turn calling tools, then the text that ends it. */
const step = (calls: { name: string; input: unknown }[]): ScriptedTurn[] => [
  { toolCalls: calls },
  { text: "Done." },
]

/** A one-package run: plan, implement `path`, test (`true`), review. */
const onePackage = (path: string): ScriptedTurn[] => [
  ...step([
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
    { name: "submit_plan", input: { summary: "One package." } },
  ]),
  ...step([
    {
      name: "write_file",
      input: { path, content: 'export const greet = (name) => "Hi " + name\n' },
    },
    { name: "report", input: { summary: "Added greet." } },
  ]),
  ...step([{ name: "run_checks", input: {} }]),
  ...step([{ name: "review", input: { verdict: "approve", comment: "Looks right." } }]),
]

const script = [...onePackage("src/greet.js"), ...onePackage("src/second.js")]

const model = createScriptedModel(script)
let harness: TestApp
let team: TeamFixture

before(async () => {
  harness = await createSessionTestApp(model)
  team = await createTeamFixture(harness, "orchestra")
})
after(async () => {
  await harness.close()
  model.verify()
})

interface Status {
  runId: string
  state: {
    ended: { outcome: string } | null
    gates: { id: string; kind: string; status: string }[]
    packages: { id: string; state: string }[]
  }
  context: string
  waiting: { id: string; kind: string }[]
}

const call = (method: "GET" | "POST", url: string, headers: Record<string, string>, payload?: unknown) =>
  harness.app.inject({
    method,
    url,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  })

function expectCode(response: { statusCode: number; body: string }, status: number, code: string) {
  assert.equal(response.statusCode, status, response.body)
  assert.equal((JSON.parse(response.body) as { error: { code: string } }).error.code, code)
}

test("a run through its gates to a merged change, over the API, with each role's rights", async () => {
  const { editor, viewer, stranger, projectId } = team
  const refused = await call("POST", `/api/projects/${projectId}/runs`, viewer.headers, { goal: "Greet" })
  expectCode(refused, 403, "FORBIDDEN")
  expectCode(
    await call("POST", `/api/projects/${projectId}/runs`, editor.headers, { goal: " " }),
    400,
    "VALIDATION_FAILED",
  )

  const started = await call("POST", `/api/projects/${projectId}/runs`, editor.headers, {
    goal: "Greet people by name",
    budget: { modelCalls: 50 },
  })
  assert.equal(started.statusCode, 201, started.body)
  const { runId } = started.json() as Status
  assert.match(runId, /^orc_/)
  const engine = harness.services.orchestra.engine
  await engine.idle(runId)

  // Another team's owner learns nothing about the run, not even that it exists.
  expectCode(await call("GET", `/api/runs/${runId}`, stranger.headers), 404, "RUN_NOT_FOUND")
  expectCode(
    await call("GET", `/api/runs/orc_0000000000000000000000000`, editor.headers),
    404,
    "RUN_NOT_FOUND",
  )

  const gates = await call("GET", `/api/runs/${runId}/gates`, viewer.headers)
  assert.equal(gates.statusCode, 200, gates.body)
  const [plan] = (gates.json() as { items: { id: string; kind: string; status: string }[] }).items
  assert.equal(plan?.kind, "plan")
  assert.equal(plan?.status, "open")

  const context = await call("GET", `/api/runs/${runId}/context`, viewer.headers)
  assert.equal(context.statusCode, 200, context.body)
  const { markdown, version } = context.json() as { markdown: string; version: number }
  assert.match(markdown, /Greet people by name/)
  assert.ok(version >= 1)

  const decide = (gateId: string, headers: Record<string, string>, body: unknown) =>
    call("POST", `/api/runs/${runId}/gates/${gateId}`, headers, body)
  expectCode(await decide(plan!.id, viewer.headers, { decision: "approve" }), 403, "FORBIDDEN")
  expectCode(await decide(plan!.id, editor.headers, { decision: "reject" }), 400, "GATE_DECISION_INVALID")
  expectCode(await decide("gate_nothing", editor.headers, { decision: "approve" }), 404, "GATE_NOT_FOUND")
  const approved = await decide(plan!.id, editor.headers, { decision: "approve" })
  assert.equal(approved.statusCode, 200, approved.body)
  expectCode(await decide(plan!.id, editor.headers, { decision: "approve" }), 409, "GATE_ALREADY_DECIDED")

  let state = await engine.idle(runId)
  const review = state.gates.find((gate) => gate.kind === "review" && gate.status === "open")
  assert.ok(review, JSON.stringify({ audit: state.audit, packages: state.packages }, null, 1))
  // The package's work waits in its worktree until the merge.
  const runFolder = join(harness.dataDir, "orchestra", runId)
  assert.deepEqual(readdirSync(runFolder), [state.packages[0]!.id])
  const worktreeRecords = join(harness.dataDir, "checkpoints", `${projectId}.git`, "worktrees")
  assert.equal(readdirSync(worktreeRecords).length, 1)
  assert.equal((await decide(review.id, editor.headers, { decision: "approve" })).statusCode, 200)
  state = await engine.idle(runId)
  assert.equal(state.ended?.outcome, "done", JSON.stringify(state.audit, null, 1))

  // The implementer wrote in its worktree; the merge brought the file into the project as a checkpoint.
  const workspace = await harness.services.workspaces.directory(projectId)
  assert.equal(
    await readFile(join(workspace, "src/greet.js"), "utf8"),
    'export const greet = (name) => "Hi " + name\n',
  )
  // A done package's worktree, and the run's folder once it ended, are removed.
  await eventually(() => !existsSync(runFolder), "the run's worktrees to be removed")
  await eventually(
    () => !existsSync(worktreeRecords) || readdirSync(worktreeRecords).length === 0,
    "git's records",
  )
  const status = (await call("GET", `/api/runs/${runId}`, viewer.headers)).json() as Status
  assert.equal(status.state.packages[0]?.state, "done")
  assert.deepEqual(status.waiting, [])
  const all = (await call("GET", `/api/runs/${runId}/gates?all=true`, viewer.headers)).json() as {
    items: { kind: string; status: string }[]
  }
  assert.deepEqual(
    all.items.map((gate) => [gate.kind, gate.status]),
    [
      ["plan", "approved"],
      ["review", "approved"],
    ],
  )

  expectCode(await decide(review.id, editor.headers, { decision: "approve" }), 409, "RUN_ENDED")
  expectCode(await call("POST", `/api/runs/${runId}/cancel`, editor.headers), 409, "RUN_ENDED")
  expectCode(await call("POST", `/api/runs/${runId}/resume`, editor.headers), 409, "RUN_ENDED")

  const exported = await call("GET", `/api/runs/${runId}/export`, viewer.headers)
  assert.equal(exported.statusCode, 200, exported.body)
  assert.match(String(exported.headers["content-disposition"]), new RegExp(`${runId}\\.json`))
  const document = exported.json() as { format: string; runId: string; report: string; events: unknown[] }
  assert.equal(document.format, "xionimus.run")
  assert.equal(document.runId, runId)
  assert.match(document.report, /Outcome: done/)

  expectCode(await call("POST", `/api/runs/${runId}/fork`, viewer.headers, {}), 403, "FORBIDDEN")
  const forked = await call("POST", `/api/runs/${runId}/fork`, editor.headers, { seq: 2 })
  assert.equal(forked.statusCode, 201, forked.body)
  const fork = forked.json() as Status
  assert.notEqual(fork.runId, runId)
  assert.equal(fork.state.ended, null)

  const list = await call("GET", `/api/projects/${projectId}/runs`, viewer.headers)
  assert.equal(list.statusCode, 200, list.body)
  const items = (list.json() as { items: { runId: string; goal: string; origin: unknown }[] }).items
  assert.deepEqual(
    items.map((item) => [item.runId, item.goal, item.origin]),
    [
      [fork.runId, "Greet people by name", { kind: "fork", runId, seq: 2 }],
      [runId, "Greet people by name", null],
    ],
  )
  expectCode(await call("GET", `/api/projects/${projectId}/runs`, stranger.headers), 404, "PROJECT_NOT_FOUND")
  const cancelled = await call("POST", `/api/runs/${fork.runId}/cancel`, editor.headers)
  assert.equal(cancelled.statusCode, 200, cancelled.body)
  assert.equal((cancelled.json() as Status).state.ended?.outcome, "cancelled")
})

test("cancelling a run at its review gate removes its worktrees and leaves the project as it was", async () => {
  const { editor, projectId } = team
  const started = await call("POST", `/api/projects/${projectId}/runs`, editor.headers, { goal: "Second" })
  assert.equal(started.statusCode, 201, started.body)
  const { runId } = started.json() as Status
  const engine = harness.services.orchestra.engine
  let state = await engine.idle(runId)
  const plan = state.gates.find((gate) => gate.kind === "plan")!
  await call("POST", `/api/runs/${runId}/gates/${plan.id}`, editor.headers, { decision: "approve" })
  state = await engine.idle(runId)
  assert.ok(state.gates.some((gate) => gate.kind === "review" && gate.status === "open"))
  const runFolder = join(harness.dataDir, "orchestra", runId)
  assert.equal(readdirSync(runFolder).length, 1)

  const cancelled = await call("POST", `/api/runs/${runId}/cancel`, editor.headers)
  assert.equal(cancelled.statusCode, 200, cancelled.body)
  await eventually(() => !existsSync(runFolder), "the cancelled run's worktrees to be removed")
  const workspace = await harness.services.workspaces.directory(projectId)
  assert.equal(existsSync(join(workspace, "src/second.js")), false)
})
