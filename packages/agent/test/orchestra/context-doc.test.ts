import assert from "node:assert/strict"
import { test } from "node:test"
import type { StoredEvent } from "@xionimus/protocol"
import { type ContextPatch, ownersOf, patchContext, renderContext } from "../../src/orchestra/context-doc.ts"
import { defaultPreset } from "../../src/orchestra/roles.ts"
import { type RunEventInput, runEvent } from "../../src/orchestra/run-events.ts"
import { applyRunEvent, type RunState, reduceRun } from "../../src/orchestra/run-state.ts"

function startState(): RunState {
  const event = runEvent("e1", "run.started", {
    projectId: "prj_x",
    goal: "Add a greeting",
    preset: defaultPreset("scripted/model"),
    budget: {},
    baseCheckpoint: "base",
    createdBy: null,
  })
  return reduceRun([{ ...event, stream: "orc_t", seq: 1, time: new Date(0).toISOString() }])
}
const append = (state: RunState, event: RunEventInput) =>
  applyRunEvent(state, {
    ...event,
    stream: "orc_t",
    seq: state.head + 1,
    time: new Date(0).toISOString(),
  } as StoredEvent)

test("a patch from a role that does not own the section is refused and recorded", () => {
  const state = startState()
  assert.deepEqual(ownersOf(state, "plan"), ["conductor", "human"])
  const result = patchContext(
    state,
    "implementer",
    { section: "plan", baseVersion: 0, text: "my plan" },
    "p1",
  )
  assert.equal(result.ok, false)
  assert.equal(!result.ok && result.code, "CONTEXT_NOT_OWNER")
  assert.match(!result.ok ? result.message : "", /belongs to conductor, human/)
  const after = append(state, result.event!)
  assert.equal(after.context.sections.plan.version, 0, "the section is unchanged")
  assert.deepEqual(
    after.audit.map((entry) => [entry.type, (entry.data as { reason: string }).reason]),
    [["context.refused", "not_owner"]],
  )
})

test("two patches on the same version: the first wins, the second gets CONTEXT_CONFLICT with the current text", () => {
  let state = startState()
  const first: ContextPatch = { section: "status", baseVersion: 0, text: "parser done" }
  const second: ContextPatch = { section: "status", baseVersion: 0, text: "tests written" }
  const won = patchContext(state, "implementer", first, "p1")
  assert.equal(won.ok, true)
  state = append(state, won.event!)
  const lost = patchContext(state, "tester", second, "p2")
  assert.equal(lost.ok, false)
  assert.equal(!lost.ok && lost.code, "CONTEXT_CONFLICT")
  assert.deepEqual(!lost.ok && lost.current, { version: 1, text: "parser done" })
  state = append(state, lost.event!)
  assert.equal(state.context.sections.status.text, "parser done")
  const redone = patchContext(
    state,
    "tester",
    { ...second, baseVersion: 1, text: "parser done; tests written" },
    "p3",
  )
  assert.equal(redone.ok, true)
  state = append(state, redone.event!)
  assert.deepEqual(state.context.sections.status, {
    version: 2,
    text: "parser done; tests written",
    by: "tester",
  })
  assert.equal(state.context.version, 2)
})

test('decisions are added as "X instead of Y, because Z" and rendered into CONTEXT.md', () => {
  let state = startState()
  const decide = (chosen: string, instead: string, because: string, id: string) => {
    const result = patchContext(
      state,
      "conductor",
      {
        section: "decisions",
        baseVersion: state.context.sections.decisions.version,
        decision: { chosen, instead, because },
      },
      id,
    )
    assert.equal(result.ok, true)
    state = append(state, result.event!)
  }
  decide("zod", "hand-written checks", "one schema types and validates", "d1")
  decide("SQLite", "PostgreSQL", "nothing to install", "d2")
  const text = patchContext(
    state,
    "conductor",
    { section: "decisions", baseVersion: 2, text: "free text" },
    "d3",
  )
  assert.equal(!text.ok && text.code, "CONTEXT_PATCH_INVALID")
  const markdown = renderContext(state)
  assert.match(markdown, /^# CONTEXT.md \(version 2\)/)
  assert.match(markdown, /## Goal[\s\S]*Add a greeting/)
  assert.match(
    markdown,
    /## Decisions\n<!-- section: decisions; owners: conductor, human; version: 2 -->\n\n- zod instead of hand-written checks, because one schema types and validates\n- SQLite instead of PostgreSQL, because nothing to install\n/,
  )
  assert.ok(markdown.indexOf("## Goal") < markdown.indexOf("## Decisions"))
  assert.ok(markdown.indexOf("## Status") < markdown.indexOf("## Open questions"))
})
