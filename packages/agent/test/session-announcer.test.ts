// Session lists follow without reloading: every session added, changed or removed is announced on the
// project's activity stream, whichever path made the change.
import assert from "node:assert/strict"
import { test } from "node:test"
import { createAgentFixture, projectId } from "./agent-fixture.ts"

test("session changes are announced on the project's stream", async (t) => {
  await using fixture = await createAgentFixture(t)
  const session = await fixture.engine.create({ projectId, title: "First", createdBy: null })
  await fixture.engine.update(session.id, { pinned: true })
  await fixture.engine.remove(session.id)
  const deadline = Date.now() + 5000
  let changes: unknown[] = []
  while (Date.now() < deadline) {
    const events = await fixture.bus.read(projectId, { after: 0, limit: 100 })
    changes = events
      .filter((event) => event.type.startsWith("session."))
      .map((event) => [event.type, event.data])
    if (changes.length >= 3) break
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  assert.deepEqual(changes, [
    ["session.added", { sessionId: session.id, change: "added" }],
    ["session.changed", { sessionId: session.id, change: "changed" }],
    ["session.removed", { sessionId: session.id, change: "removed" }],
  ])
})
