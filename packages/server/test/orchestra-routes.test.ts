// The orchestra routes in process (inject) over the real run engine, SQLite, git checkpoints and
// worktrees, the bubblewrap sandbox and the scripted model: a one-package run through the plan and
// review gates to a merged change, the run list, CONTEXT.md, export, fork, and who may do what.
import assert from "node:assert/strict"
import { existsSync, readdirSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { after, before, test } from "node:test"
import { createScriptedModel, type ScriptedTurn } from "@xionimus/testing"
import { createRunIndex } from "../src/orchestra-run-index.ts"
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

// The third run only plans: it is cancelled at its plan gate.
const script = [
  ...onePackage("src/greet.js"),
  ...onePackage("src/second.js"),
  ...onePackage("src/third.js").slice(0, 2),
]

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

interface Summary {
  runId: string
  listedSeq: number
  goal: string
  phase: string
  packages: { done: number; total: number }
  openGates: number
  usage: { modelCalls: number; costUsd: number }
  createdAt: string
  updatedAt: string
  origin: unknown
}

test("the run list: each run's summary, a page at a time, and nothing for another team", async () => {
  const { editor, viewer, stranger, projectId } = team
  const engine = harness.services.orchestra.engine
  // A third run, waiting at its plan gate (the two before it ended).
  const started = await call("POST", `/api/projects/${projectId}/runs`, editor.headers, { goal: "Third" })
  assert.equal(started.statusCode, 201, started.body)
  const third = (started.json() as Status).runId
  await engine.idle(third)

  const first = await call("GET", `/api/projects/${projectId}/runs?limit=2`, viewer.headers)
  assert.equal(first.statusCode, 200, first.body)
  const page = first.json() as { items: Summary[]; nextCursor: string | null }
  assert.equal(page.items.length, 2)
  assert.ok(page.nextCursor)
  const [waiting] = page.items
  assert.equal(waiting?.runId, third)
  assert.equal(waiting?.goal, "Third")
  assert.equal(waiting?.phase, "waiting")
  assert.equal(waiting?.openGates, 1)
  assert.deepEqual(waiting?.packages, { done: 0, total: 1 })
  assert.equal(waiting?.usage.modelCalls, 2)
  assert.ok(waiting!.updatedAt >= waiting!.createdAt)

  const rest: Summary[] = []
  for (let cursor: string | null = page.nextCursor; cursor; ) {
    const next = await call("GET", `/api/projects/${projectId}/runs?limit=2&cursor=${cursor}`, viewer.headers)
    assert.equal(next.statusCode, 200, next.body)
    const answer = next.json() as { items: Summary[]; nextCursor: string | null }
    rest.push(...answer.items)
    cursor = answer.nextCursor
  }
  const all = [...page.items, ...rest]
  assert.deepEqual(
    all.map((item) => item.listedSeq),
    [4, 3, 2, 1],
    "newest first, each run once",
  )
  const done = all.at(-1)!
  assert.equal(done.phase, "done")
  assert.deepEqual(done.packages, { done: 1, total: 1 })
  assert.equal(done.openGates, 0)
  assert.equal(done.usage.modelCalls, 8)
  assert.deepEqual(
    all.map((item) => item.phase),
    ["waiting", "cancelled", "cancelled", "done"],
  )

  expectCode(
    await call("GET", `/api/projects/${projectId}/runs?cursor=abc`, viewer.headers),
    400,
    "VALIDATION_FAILED",
  )
  // Another team's owner gets nothing: not the runs, not a page of them.
  expectCode(await call("GET", `/api/projects/${projectId}/runs`, stranger.headers), 404, "PROJECT_NOT_FOUND")
  expectCode(
    await call("GET", `/api/projects/${projectId}/runs?limit=1&cursor=2`, stranger.headers),
    404,
    "PROJECT_NOT_FOUND",
  )
  await call("POST", `/api/runs/${third}/cancel`, editor.headers)
})

test("a second look at the list reads only what the runs appended since", async () => {
  const reads: { stream: string; after: number }[] = []
  const bus = harness.services.bus
  const index = createRunIndex({
    bus: {
      ...bus,
      read(stream, options) {
        reads.push({ stream, after: options.after })
        return bus.read(stream, options)
      },
    },
    driving: () => false,
  })
  const firstLook = await index.page(team.projectId, { limit: 10 })
  assert.equal(firstLook.items.length, 4)
  assert.ok(reads.some((read) => read.stream.startsWith("orc_") && read.after === 0))
  reads.length = 0
  const secondLook = await index.page(team.projectId, { limit: 10 })
  assert.deepEqual(secondLook.items, firstLook.items)
  const heads = new Map(firstLook.items.map((item) => [item.runId, item]))
  assert.equal(reads.filter((read) => read.stream.startsWith("orc_")).length, 4)
  for (const read of reads.filter((item) => item.stream.startsWith("orc_"))) {
    assert.ok(heads.has(read.stream))
    assert.ok(read.after > 0, `${read.stream} read from its head, not from the start`)
  }
  assert.deepEqual(
    reads.filter((read) => read.stream.startsWith("runs_")).map((read) => read.after),
    [4],
    "the list's stream read after the four runs it knows",
  )
})
