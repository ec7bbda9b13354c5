import assert from "node:assert/strict"
import { test } from "node:test"
import type { EventBus } from "@xionimus/bus"
import type { StoredEvent } from "@xionimus/protocol"
import { createScriptedModel, type ScriptedTurn } from "@xionimus/testing"
import { createRunEngine } from "../../src/orchestra/run-engine.ts"
import { runLogHash, runStateHash } from "../../src/orchestra/run-export.ts"
import { reduceRun } from "../../src/orchestra/run-state.ts"
import {
  createRunFixture,
  onePackageScript,
  projectId,
  testPreset,
  twoPackageScript,
  ungatedPreset,
} from "./run-fixture.ts"

const goal = "Fix the date parser and the number formatter"

async function completeRun(t: { after(fn: () => void): void }) {
  const fixture = await createRunFixture(t, twoPackageScript())
  const { runId } = await fixture.engine.start({
    projectId,
    goal,
    preset: ungatedPreset(),
    createdBy: "usr_1",
  })
  const state = await fixture.engine.idle(runId)
  const events = await fixture.events(runId)
  return { fixture, runId, state, events }
}

test("the same script gives the same event log, three times (hash over types and data)", async (t) => {
  const hashes: string[] = []
  let first: StoredEvent[] = []
  for (let round = 0; round < 3; round++) {
    const { fixture, runId, state, events } = await completeRun(t)
    await using _ = fixture
    assert.equal(state.ended?.outcome, "done", JSON.stringify(state.audit))
    assert.deepEqual(
      state.packages.map((item) => item.state),
      ["done", "done"],
    )
    hashes.push(runLogHash(events, runId))
    if (round === 0) first = events
    else
      assert.deepEqual(
        events.map((event) => event.type),
        first.map((event) => event.type),
      )
  }
  assert.equal(new Set(hashes).size, 1, hashes.join(" "))
  // The hash can fail: a different script gives another log.
  const other = await createRunFixture(
    t,
    twoPackageScript().map((turn, index) => (index === 1 ? { ...turn, text: "Planned it." } : turn)),
  )
  await using _other = other
  const { runId } = await other.engine.start({ projectId, goal, preset: ungatedPreset(), createdBy: "usr_1" })
  await other.engine.idle(runId)
  const differentGoal = await other.events(runId)
  assert.equal(
    runLogHash(differentGoal, runId),
    hashes[0],
    "text that ends a step is not part of the run's log",
  )
  assert.notEqual(runLogHash(differentGoal.slice(0, -1), runId), hashes[0])
})

/** A bus that stores the k-th append to a run stream and then never answers again (the process died). */
function crashingBus(bus: EventBus, k: number) {
  let count = 0
  let dead = false
  let runId = ""
  let crashed!: () => void
  const crash = new Promise<void>((resolve) => {
    crashed = resolve
  })
  const never = new Promise<never>(() => {})
  const wrapped: EventBus = {
    ...bus,
    read: (stream, options) => bus.read(stream, options),
    subscribe: (stream, options) => bus.subscribe(stream, options),
    async append(stream, events) {
      if (dead) return never
      const stored = await bus.append(stream, events)
      if (stream.startsWith("orc_")) {
        runId = stream
        if (++count === k) {
          dead = true
          crashed()
          return never
        }
      }
      return stored
    },
  }
  return { bus: wrapped, crash, runId: () => runId, appends: () => count }
}

/** The turns a resumed run still needs: per role, those its ended steps did not use. */
function remainingTurns(script: ScriptedTurn[], events: StoredEvent[]): ScriptedTurn[] {
  const used = new Map<string, number>()
  for (const step of reduceRun(events).steps)
    if (step.status === "ended")
      used.set(step.model, (used.get(step.model) ?? 0) + (step.usage?.modelCalls ?? 0))
  const seen = new Map<string, number>()
  return script.filter((turn) => {
    const index = seen.get(turn.model!) ?? 0
    seen.set(turn.model!, index + 1)
    return index >= (used.get(turn.model!) ?? 0)
  })
}

test("a crash after every append of a scripted run resumes to the same final state", async (t) => {
  const reference = await completeRun(t)
  await using _reference = reference.fixture
  const expected = runStateHash(reference.events, reference.runId)
  const expectedLog = runLogHash(reference.events, reference.runId)
  const appends = new Set(reference.events.map((event) => event.seq)).size
  let crashes = 0
  for (let k = 1; k <= appends; k++) {
    await using fixture = await createRunFixture(t, [])
    const crashing = crashingBus(fixture.bus, k)
    const dying = createRunEngine({
      ...fixture.deps,
      bus: crashing.bus,
      router: fixture.routerFor(createScriptedModel(twoPackageScript())),
    })
    void dying.start({ projectId, goal, preset: ungatedPreset(), createdBy: "usr_1" }).catch(() => undefined)
    const finished = dying.idle.bind(dying)
    const outcome = await Promise.race([
      crashing.crash.then(() => "crashed" as const),
      (async () => {
        // A run with fewer appends than k ends without crashing.
        while (!crashing.runId()) await new Promise((resolve) => setImmediate(resolve))
        await finished(crashing.runId())
        return "finished" as const
      })(),
    ])
    if (outcome === "finished") break
    crashes++
    const runId = crashing.runId()
    const before = await fixture.events(runId)
    const model = createScriptedModel(remainingTurns(twoPackageScript(), before), t)
    const engine = fixture.newEngine({ router: fixture.routerFor(model) })
    // A crash right after run.ended leaves nothing to resume.
    if (!reduceRun(before).ended) await engine.resume(runId)
    const state = await engine.idle(runId)
    const events = await fixture.events(runId)
    assert.equal(state.ended?.outcome, "done", `crash after append ${k}: ${JSON.stringify(state.audit)}`)
    assert.equal(runStateHash(events, runId), expected, `crash after append ${k}: a different final state`)
    assert.equal(runLogHash(events, runId), expectedLog, `crash after append ${k}: a different log`)
  }
  assert.ok(crashes >= 20, `the run was crashed at ${crashes} points`)
})

test("fork at a step leaves the parent unchanged and goes on from there", async (t) => {
  const { fixture, runId, events } = await completeRun(t)
  await using _ = fixture
  const parentHash = runLogHash(events, runId)
  // Fork right after the first package was reviewed: the second package's work is redone in the fork.
  const state = reduceRun(events)
  const review = state.steps.find((step) => step.purpose === "review")!
  const at = events.find(
    (event) => event.type === "step.ended" && (event.data as { stepId: string }).stepId === review.stepId,
  )!.seq
  const fork = await fixture.engine.fork(runId, { stepId: review.stepId })
  assert.notEqual(fork.runId, runId)
  assert.deepEqual(fork.state.forkedFrom, { runId, seq: at })
  assert.equal(fork.state.ended, null)
  assert.deepEqual(
    fork.state.packages.map((item) => item.state),
    ["approved", "assigned"],
  )
  fixture.model.enqueue(...twoPackageScript().slice(8))
  await fixture.engine.resume(fork.runId)
  const forked = await fixture.engine.idle(fork.runId)
  assert.equal(forked.ended?.outcome, "done", JSON.stringify(forked.audit))
  assert.deepEqual(await fixture.events(runId).then((after) => runLogHash(after, runId)), parentHash)
  assert.equal((await fixture.events(runId)).length, events.length, "the parent's log did not grow")
  assert.ok(
    fixture.worktrees.created.some((entry) => entry.startsWith(`${fork.runId}/`)),
    "the fork works in its own worktrees",
  )
  await assert.rejects(fixture.engine.fork(runId, { seq: events.length + 1 }), /seq must be between 1 and/)
  await assert.rejects(fixture.engine.fork(runId, { stepId: "stp_nope_1" }), /no ended step stp_nope_1/)
  const whole = await fixture.engine.fork(runId, {})
  assert.equal(whole.state.forkedFrom?.seq, events.length)
  assert.equal(whole.state.ended, null, "a fork of an ended run can go on")
})

test("export and import round trip: the same state hash; a changed or newer export is refused", async (t) => {
  const { fixture, runId } = await completeRun(t)
  await using _ = fixture
  const exported = await fixture.engine.exportRun(runId)
  assert.equal(exported.format, "xionimus.run")
  assert.match(exported.context, /^# CONTEXT.md/)
  assert.match(exported.report, /## Work packages[\s\S]*\| done \|/)
  const copy = JSON.parse(JSON.stringify(exported))
  const imported = await fixture.engine.importRun("prj_other", copy, "usr_2")
  assert.notEqual(imported.runId, runId)
  assert.equal(imported.state.projectId, "prj_other")
  const again = await fixture.engine.exportRun(imported.runId)
  assert.equal(again.stateHash, exported.stateHash)
  assert.equal(again.events.length, exported.events.length)
  const tampered = JSON.parse(JSON.stringify(exported))
  tampered.events[1].data.text = "Another goal"
  await assert.rejects(fixture.engine.importRun(projectId, tampered, null), /changed after export/)
  await assert.rejects(
    fixture.engine.importRun(projectId, { ...exported, version: 2 }, null),
    /newer Xionimus \(version 2\)/,
  )
  await assert.rejects(
    fixture.engine.importRun(projectId, { format: "x" }, null),
    (error: Error & { code?: string }) => error.code === "EXPORT_INVALID",
  )
})

test("a started run's status and a cancel at a gate", async (t) => {
  await using fixture = await createRunFixture(t, onePackageScript().slice(0, 2))
  const { runId } = await fixture.engine.start({
    projectId,
    goal: "Greet",
    preset: testPreset(),
    createdBy: null,
  })
  await fixture.engine.idle(runId)
  const status = await fixture.engine.status(runId)
  assert.equal(status.waiting[0]?.kind, "plan")
  const cancelled = await fixture.engine.cancel(runId, "usr_1")
  assert.deepEqual(cancelled.state.ended, {
    outcome: "cancelled",
    message: "Cancelled by usr_1.",
    code: "run.cancelledBy",
    params: { by: "usr_1" },
  })
  await assert.rejects(fixture.engine.resume(runId), /has ended \(cancelled\)/)
  await assert.rejects(fixture.engine.status("orc_missing"), /no run orc_missing/)
})
