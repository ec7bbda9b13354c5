// Runs resume after a server restart, each guarded by a lease: a host that stops mid-run leaves the run
// to the next one, which finishes it with the same final state; a host whose lease holder is alive is
// not driven by another. Real SQLite, git checkpoints and worktrees, bubblewrap, the scripted model.
import assert from "node:assert/strict"
import { existsSync } from "node:fs"
import { readFile } from "node:fs/promises"
import { join } from "node:path"
import { after, before, test } from "node:test"
import { defaultPresetInput, runStateHash } from "@xionimus/agent"
import { isAppError } from "@xionimus/kit"
import type { ModelPort, ModelRequest } from "@xionimus/llm"
import { createScriptedModel, type ScriptedTurn } from "@xionimus/testing"
import { createOrchestraHost, type OrchestraHost } from "../src/orchestra-host.ts"
import { createSessionHost } from "../src/session-host.ts"
import { createSessionTestApp } from "./support/session-app.ts"
import { createTeamFixture } from "./support/team-fixture.ts"
import type { TestApp } from "./support/test-app.ts"

const step = (calls: { name: string; input: unknown }[]): ScriptedTurn[] => [
  { toolCalls: calls },
  { text: "Done." },
]

const script: ScriptedTurn[] = [
  ...step([
    {
      name: "create_package",
      input: {
        template: "bugfix",
        fields: { summary: "greet", symptom: "no greeting", paths: "src/**", test_command: "true" },
      },
    },
    { name: "submit_plan", input: { summary: "One package." } },
  ]),
  ...step([
    { name: "write_file", input: { path: "src/greet.js", content: "export const greet = 1\n" } },
    { name: "report", input: { summary: "Added greet." } },
  ]),
  ...step([{ name: "run_checks", input: {} }]),
  ...step([{ name: "review", input: { verdict: "approve", comment: "Fine." } }]),
]

/**
 * The scripted model, except that the implementer's first call waits until its step is stopped (the
 * server going down mid-run) while `holding`; it then fails like a cut connection, and the script is
 * answered again from that call on.
 */
function holdingModel() {
  let scripted = createScriptedModel(script)
  let calls = 0
  let reached!: () => void
  const atHold = new Promise<void>((resolve) => {
    reached = resolve
  })
  const port: ModelPort & { holding: boolean; atHold: Promise<void>; again(): void } = {
    holding: true,
    atHold,
    again() {
      scripted = createScriptedModel(script)
    },
    async *stream(request: ModelRequest) {
      calls++
      if (port.holding && /You are implementer_1/.test(JSON.stringify(request.messages))) {
        reached()
        await new Promise<void>((resolve) => {
          if (request.signal?.aborted) resolve()
          request.signal?.addEventListener("abort", () => resolve(), { once: true })
        })
        port.holding = false
        // The implementer's step runs again from its start: the script goes on from its first turn.
        scripted = createScriptedModel(script.slice(2))
        throw new Error("connection closed")
      }
      yield* scripted.stream(request)
    },
  }
  return { port, calls: () => calls }
}

const model = holdingModel()
let harness: TestApp
let projectId: string
let createdBy: string
const hosts: OrchestraHost[] = []

before(async () => {
  harness = await createSessionTestApp(model.port)
  const team = await createTeamFixture(harness, "resume")
  projectId = team.projectId
  createdBy = team.editor.id
})
after(async () => {
  for (const host of hosts) await host.close()
  await harness.close()
})

/** Another server process on the same data: its own session host and orchestra host. */
async function newHost(): Promise<OrchestraHost> {
  const { services, config, logger } = harness
  const workspacesRoot = join(harness.dataDir, "workspaces")
  const sessions = createSessionHost({
    config,
    store: services.store,
    bus: services.bus,
    workspaces: services.workspaces,
    workspacesRoot,
    sandboxes: services.sandboxes,
    llm: services.llm,
    logger,
  })
  const host = await createOrchestraHost({
    config,
    store: services.store,
    bus: services.bus,
    workspaces: services.workspaces,
    workspacesRoot,
    dataDir: harness.dataDir,
    sandboxes: services.sandboxes,
    llm: services.llm,
    sessions,
    logger,
    leaseMs: 60_000,
  })
  hosts.push(host)
  return host
}

const leaseOf = async (runId: string) =>
  (await harness.services.store.sessions.expiredLeases("9999-12-31T23:59:59.999Z", 10_000)).find(
    (lease) => lease.sessionId === runId,
  )

test("a run stopped mid-way is resumed by the next server to the same final state; a live lease holder's run is not driven by another", async () => {
  const first = await newHost()
  const { runId } = await first.engine.start({
    projectId,
    goal: "Greet people",
    preset: { ...defaultPresetInput, gates: [] },
    createdBy,
  })
  await model.port.atHold
  const held = await leaseOf(runId)
  assert.ok(held, "the driving server holds the run's lease")
  assert.match(held.nodeId, /^orchestra:/)

  // A second server while the first one lives: it neither resumes the run nor lets a person drive it there.
  const second = await newHost()
  assert.deepEqual(await second.resumeAbandoned(), [])
  await assert.rejects(second.engine.resume(runId), (error) => isAppError(error) && error.code === "RUN_BUSY")
  assert.deepEqual((await second.engine.status(runId)).active, [])
  assert.equal((await leaseOf(runId))?.nodeId, held.nodeId)

  // The first server stops mid-run: the implementer's step stays open, the lease is left expired.
  await first.close()
  let state = (await second.engine.status(runId)).state
  assert.equal(state.ended, null)
  const open = state.steps.filter((step) => step.status === "running")
  assert.deepEqual(
    open.map((step) => step.purpose),
    ["implement"],
  )
  assert.ok((await leaseOf(runId))!.expiresAt < new Date().toISOString())

  // The next look of the second server takes the run over and finishes it.
  assert.deepEqual(await second.resumeAbandoned(), [runId])
  state = await second.engine.idle(runId)
  assert.equal(state.ended?.outcome, "done", JSON.stringify(state.audit, null, 1))
  assert.deepEqual(
    state.steps.map((step) => [step.role, step.purpose, step.status, step.outcome]),
    [
      ["conductor", "plan", "ended", "completed"],
      ["implementer", "implement", "ended", "completed"],
      ["tester", "test", "ended", "completed"],
      ["reviewer", "review", "ended", "completed"],
    ],
    "the open step ran again under its id: no step twice",
  )
  assert.equal(state.steps[1]!.stepId, open[0]!.stepId)
  assert.deepEqual(
    state.packages.map((item) => [item.state, item.merged, item.files]),
    [["done", true, ["src/greet.js"]]],
  )
  const workspace = await harness.services.workspaces.directory(projectId)
  assert.equal(await readFile(join(workspace, "src", "greet.js"), "utf8"), "export const greet = 1\n")
  assert.equal(existsSync(join(harness.dataDir, "orchestra", runId, state.packages[0]!.id, ".git")), false)
  // Idle and over: the lease is given back.
  for (let look = 0; look < 50 && (await leaseOf(runId)); look++)
    await new Promise((resolve) => setImmediate(resolve))
  assert.equal(await leaseOf(runId), undefined)
  // A third server finds nothing to resume.
  const third = await newHost()
  assert.deepEqual(await third.resumeAbandoned(), [])

  // The same final state as the same script run without a stop (the base checkpoint aside: each run records its own).
  model.port.again()
  const { runId: reference } = await third.engine.start({
    projectId,
    goal: "Greet people",
    preset: { ...defaultPresetInput, gates: [] },
    createdBy,
  })
  assert.equal((await third.engine.idle(reference)).ended?.outcome, "done")
  assert.equal(await stateHash(runId), await stateHash(reference))
})

async function stateHash(runId: string): Promise<string> {
  const events = await harness.services.bus.read(runId, { after: 0, limit: 10_000 })
  return runStateHash(
    events.map((event) =>
      event.type === "run.started"
        ? { ...event, data: { ...(event.data as object), baseCheckpoint: "base" } }
        : event,
    ),
    runId,
  )
}
