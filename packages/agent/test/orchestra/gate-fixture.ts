import assert from "node:assert/strict"
import type { ModelRequest } from "@xionimus/llm"
import type { RunEngineDeps, StartRunInput } from "../../src/orchestra/run-engine.ts"
import type { RunGate, RunState } from "../../src/orchestra/run-state.ts"
import {
  createRunFixture,
  featureFields,
  projectId,
  type RunFixture,
  step,
  ungatedPreset,
} from "./run-fixture.ts"

/** What the gate tests share: a run started on a script and driven to its first stop, and a few readers. */

/** Everything a model request said (system, user and tool messages), as text. */
export const said = (request: ModelRequest | undefined) => JSON.stringify(request?.messages ?? [])

/** The conductor's step: one package of `template` with `fields`, then the plan. */
export const planStep = (
  fields: Record<string, string> = featureFields("greet by name"),
  template = "feature",
) =>
  step("conductor", [
    { name: "create_package", input: { template, fields } },
    { name: "submit_plan", input: { summary: "One package." } },
  ])

/** One implementer turn calling one tool (the step goes on with the next queued turn). */
export const implementerCall = (name: string, input: unknown) => ({
  model: "scripted/implementer",
  toolCalls: [{ name, input }],
})

/** The run's one open gate (fails the test when none is open). */
export function openGate(state: RunState): RunGate {
  const gate = state.gates.find((candidate) => candidate.status === "open")
  assert.ok(gate, `a gate is open (audit: ${JSON.stringify(state.audit)})`)
  return gate
}

export interface StartedRun {
  fixture: RunFixture
  runId: string
  /** The state once the run first waits for a person or ends. */
  state: RunState
}

/**
 * A fixture over `script`, and a run of the test project started on `goal` (without gates of the preset
 * unless `preset` says, no creator unless `createdBy` says), driven until it waits or ends. Dispose the
 * fixture (`await using started = …; started.fixture`): it is disposed with the test too.
 */
export async function startRun(
  t: { after(fn: () => void): void },
  script: Parameters<typeof createRunFixture>[1],
  run: Partial<Omit<StartRunInput, "projectId">> & { goal: string },
  deps: Partial<RunEngineDeps> = {},
): Promise<StartedRun & AsyncDisposable> {
  const fixture = await createRunFixture(t, script, deps)
  const { runId } = await fixture.engine.start({
    projectId,
    preset: ungatedPreset(),
    createdBy: null,
    ...run,
  })
  const state = await fixture.engine.idle(runId)
  return { fixture, runId, state, [Symbol.asyncDispose]: () => fixture[Symbol.asyncDispose]() }
}
