import assert from "node:assert/strict"
import { test } from "node:test"
import { createAgentFixture, projectId } from "./agent-fixture.ts"

test("a turn's runtime is asked for on behalf of the user whose message started it (their CPU quota)", async (t) => {
  await using fixture = await createAgentFixture(t, { turns: [{ text: "One." }, { text: "Two." }] })
  const actors: unknown[] = []
  const engine = fixture.newEngine({
    runtimeFor: (id, actor) => {
      actors.push(actor)
      return fixture.deps.runtimeFor(id)
    },
  })
  const session = await engine.create({ projectId, createdBy: "usr_a" })
  await engine.send(session.id, { text: "first", authorId: "usr_a" })
  await engine.idle(session.id)
  await engine.send(session.id, { text: "second", authorId: "usr_b" })
  await engine.idle(session.id)
  assert.deepEqual(actors, [{ userId: "usr_a" }, { userId: "usr_b" }])
})
