// A run's log is the same however the parallel steps' timing falls: each step's result is recorded after
// the scheduler has acted on the one before it (run-engine.ts), so what starts in between never depends on
// which step finished first or on how long a merge took.
import assert from "node:assert/strict"
import { test } from "node:test"
import type { ModelPort, ModelRequest } from "@xionimus/llm"
import { runLogHash } from "../../src/orchestra/run-export.ts"
import { createResponderModel, createRunFixture, runTwoFixes, twoPackageResponder } from "./run-fixture.ts"

/** The responder's answers, each after `delayOf(request)` ms. */
function delayed(port: ModelPort, delayOf: (request: ModelRequest) => number): ModelPort {
  return {
    async *stream(request) {
      const ms = delayOf(request)
      if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms))
      yield* port.stream(request)
    },
  }
}

/** The package a role's request is about (1 or 2), from its briefing; 0 for the conductor's. */
const packageOf = (request: ModelRequest) =>
  Number(/Work package pkg_\S+?_(\d+) /.exec(JSON.stringify(request.messages[0] ?? ""))?.[1] ?? 0)

test("two parallel packages give the same log whichever package's steps are slow", async (t) => {
  const hashes: string[] = []
  const scenarios: ((request: ModelRequest) => number)[] = [
    () => 0,
    (request) => (packageOf(request) === 2 ? 40 : 0),
    (request) => (packageOf(request) === 2 ? 150 : 0),
    (request) => (packageOf(request) === 1 ? 150 : 0),
    (request) => (packageOf(request) === 1 ? 40 : packageOf(request) === 2 ? 90 : 0),
  ]
  for (const delayOf of scenarios) {
    const port = delayed(createResponderModel(twoPackageResponder(["src/**", "lib/**"])), delayOf)
    await using fixture = await createRunFixture(t, [])
    const { runId } = await runTwoFixes(fixture, port)
    hashes.push(runLogHash(await fixture.events(runId), runId))
  }
  assert.deepEqual(
    hashes,
    hashes.map(() => hashes[0]),
  )
})
