import assert from "node:assert/strict"
import { test } from "node:test"
import type { ModelRequest } from "@xionimus/llm"
import type { ScriptedTurn } from "@xionimus/testing"
import { instanceOf } from "../../src/orchestra/role-session.ts"
import { inbox } from "../../src/orchestra/run-state.ts"
import {
  bugfixFields,
  createResponderModel,
  createRunFixture,
  projectId,
  runTwoFixes,
  ungatedPreset,
} from "./run-fixture.ts"

const send = (to: "*" | string[], body: string) => ({ name: "send_message", input: { to, body } })

test("parallel implementers each have their own read cursor: directed messages reach one, a broadcast and a role's message reach both", async (t) => {
  const briefings = new Map<string, string>()
  const port = createResponderModel((request: ModelRequest): ScriptedTurn => {
    if (request.messages.at(-1)?.role === "tool") return { text: "Done." }
    const briefing = JSON.stringify(request.messages[0] ?? "")
    const role = request.model.split("/")[1]
    if (role === "conductor")
      return {
        toolCalls: [
          { name: "create_package", input: { template: "bugfix", fields: bugfixFields("first", "src/**") } },
          { name: "create_package", input: { template: "bugfix", fields: bugfixFields("second", "lib/**") } },
          send(["implementer_1"], "only for the first"),
          send(["implementer_2"], "only for the second"),
          send("*", "for everyone"),
          send(["implementer"], "for every implementer"),
          { name: "submit_plan", input: { summary: "Two packages." } },
        ],
      }
    if (role === "implementer") {
      const index = /Work package pkg_\S+?_(\d+) /.exec(briefing)![1]!
      briefings.set(`implementer_${index}`, briefing)
      const folder = index === "1" ? "src" : "lib"
      return {
        toolCalls: [
          {
            name: "write_file",
            input: { path: `${folder}/file${index}.js`, content: `export const n = ${index}\n` },
          },
          { name: "report", input: { summary: `Wrote file ${index}.` } },
        ],
      }
    }
    if (role === "tester") return { toolCalls: [{ name: "run_checks", input: {} }] }
    return { toolCalls: [{ name: "review", input: { verdict: "approve", comment: "ok" } }] }
  })
  await using fixture = await createRunFixture(t, [])
  const { runId, state } = await runTwoFixes(fixture, port)
  assert.equal(state.audit.length, 0, JSON.stringify(state.audit))
  // Each implementer works in its own session, named after its instance.
  const implementing = state.steps.filter((step) => step.purpose === "implement")
  assert.deepEqual(
    implementing.map((step) => step.sessionId),
    [`ses_${runId.slice(4)}_implementer_1`, `ses_${runId.slice(4)}_implementer_2`],
  )

  const first = briefings.get("implementer_1")!
  const second = briefings.get("implementer_2")!
  assert.match(first, /You are implementer_1, the implementer of work package/)
  for (const body of ["only for the first", "for everyone", "for every implementer"])
    assert.ok(first.includes(body), body)
  assert.ok(!first.includes("only for the second"), "the other implementer's message is not delivered")
  for (const body of ["only for the second", "for everyone", "for every implementer"])
    assert.ok(second.includes(body), body)
  assert.ok(!second.includes("only for the first"))

  // Each instance's cursor moved past what it read; neither consumed the other's messages.
  assert.equal(state.readCursors.implementer_1, 4)
  assert.equal(state.readCursors.implementer_2, 4)
  assert.equal(state.readCursors.implementer, undefined)
  // The broadcast reached the testers and reviewers of both packages, each once.
  for (const reader of ["tester_1", "tester_2", "reviewer_1", "reviewer_2"])
    assert.equal(state.readCursors[reader], 3, reader)
  const packages = state.packages.map((item) => item.id)
  assert.deepEqual(
    inbox(state, "implementer", packages[0]).map((message) => message.body),
    [],
    "nothing is left unread",
  )
  assert.equal(instanceOf("implementer", packages[1]), "implementer_2")
})

test("a message to an unknown agent is refused with the names that exist", async (t) => {
  const port = createResponderModel((request: ModelRequest): ScriptedTurn => {
    if (request.messages.at(-1)?.role === "tool") return { text: "Done." }
    return {
      toolCalls: [
        { name: "create_package", input: { template: "bugfix", fields: bugfixFields("first", "src/**") } },
        send(["implementer_7"], "nobody"),
        { name: "submit_plan", input: { summary: "One." } },
      ],
    }
  })
  await using fixture = await createRunFixture(t, [])
  const engine = fixture.newEngine({ router: fixture.routerFor(port) })
  const { runId } = await engine.start({
    projectId,
    goal: "One fix",
    preset: ungatedPreset(),
    createdBy: null,
  })
  await engine.idle(runId)
  const events = await fixture.events(`ses_${runId.slice(4)}_conductor`)
  const refusal = events.find(
    (event) => event.type === "tool.updated" && (event.data as { status: string }).status === "error",
  )
  assert.match(
    JSON.stringify(refusal?.data),
    /RECIPIENT_UNKNOWN.*No role or agent is called implementer_7.*implementer_1/,
  )
  await engine.cancel(runId, null)
})
