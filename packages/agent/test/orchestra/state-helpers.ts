import type { StoredEvent } from "@xionimus/protocol"
import { defaultPreset } from "../../src/orchestra/roles.ts"
import { type PackageCreatedData, type RunEventInput, runEvent } from "../../src/orchestra/run-events.ts"
import { applyRunEvent, emptyRunState, type RunState } from "../../src/orchestra/run-state.ts"

/** Builds run states from events without a store (the reducer is pure). */
export function appendTo(state: RunState, ...events: RunEventInput[]): RunState {
  return events.reduce(
    (current, event) =>
      applyRunEvent(current, {
        ...event,
        stream: current.id,
        seq: current.head + 1,
        time: new Date(0).toISOString(),
      } as StoredEvent),
    state,
  )
}

export function startedRun(): RunState {
  return appendTo(
    emptyRunState("orc_test"),
    runEvent("e1", "run.started", {
      projectId: "prj_x",
      goal: "Add a greeting",
      preset: defaultPreset("scripted/model"),
      budget: {},
      baseCheckpoint: "base",
      createdBy: null,
    }),
  )
}

export function packageEvent(id: string, overrides: Partial<PackageCreatedData> = {}): RunEventInput {
  return runEvent(`c_${id}`, "package.created", {
    id,
    template: "feature",
    title: `Package ${id}`,
    fields: {},
    instructions: "Do it",
    acceptance: [{ kind: "tests-pass", command: "npm test" }, { kind: "reviewer-approval" }],
    gates: [],
    limits: { reviewRounds: 2, modelCalls: 10, sandboxSeconds: 60 },
    globs: ["src/**"],
    dependsOn: [],
    by: "conductor",
    ...overrides,
  })
}

let counter = 0
export const moved = (id: string, from: RunState["packages"][number]["state"], to: typeof from) =>
  runEvent(`m_${++counter}`, "package.moved", { id, from, to, by: "test", reason: "test" })
