// Who may read an orchestra run's stream (`orc_…`) and a project's run list (`runs_<projectId>`), over
// REST and the WebSocket: the run's project's readers; anyone else (and any run that does not exist)
// gets STREAM_NOT_FOUND, like every stream they may not read.
import assert from "node:assert/strict"
import { after, before, test } from "node:test"
import type { StoredEvent } from "@xionimus/protocol"
import { createScriptedModel } from "@xionimus/testing"
import { expectError } from "./support/expect-error.ts"
import { createSessionTestApp } from "./support/session-app.ts"
import { createTeamFixture, type TeamFixture } from "./support/team-fixture.ts"
import type { TestApp } from "./support/test-app.ts"

// The conductor plans one package; the run then waits at the plan gate (no further model calls).
const model = createScriptedModel([
  {
    toolCalls: [
      {
        name: "create_package",
        input: {
          template: "feature",
          fields: { summary: "greet", details: "Add greet().", paths: "src/**", test_command: "true" },
        },
      },
      { name: "submit_plan", input: { summary: "One package." } },
    ],
  },
  { text: "Planned." },
])
let harness: TestApp
let team: TeamFixture
let runId: string

before(async () => {
  harness = await createSessionTestApp(model)
  team = await createTeamFixture(harness, "run-streams")
  const started = await harness.app.inject({
    method: "POST",
    url: `/api/projects/${team.projectId}/runs`,
    headers: team.editor.headers,
    payload: { goal: "Greet people" },
  })
  assert.equal(started.statusCode, 201, started.body)
  runId = (started.json() as { runId: string }).runId
  await harness.services.orchestra.engine.idle(runId)
})
after(async () => {
  await harness.close()
  model.verify()
})

const read = (stream: string, headers: Record<string, string>) =>
  harness.app.inject({ method: "GET", url: `/api/streams/${stream}/events?limit=500`, headers })

test("a run's stream is read by its project's readers, from its first event", async () => {
  for (const member of [team.viewer, team.editor, team.owner]) {
    const response = await read(runId, member.headers)
    assert.equal(response.statusCode, 200, response.body)
    const { items, head } = response.json() as { items: StoredEvent[]; head: number }
    assert.equal(items[0]?.type, "run.started")
    assert.equal((items[0]?.data as { projectId?: string } | undefined)?.projectId, team.projectId)
    assert.ok(items.some((event) => event.type === "gate.opened"))
    assert.equal(items.at(-1)?.seq, head)
  }
})

test("another team's owner, and a run that does not exist, get STREAM_NOT_FOUND", async () => {
  expectError(await read(runId, team.stranger.headers), 404, "STREAM_NOT_FOUND")
  expectError(await read("orc_0000000000000000000000000", team.editor.headers), 404, "STREAM_NOT_FOUND")
})

test("a project's run list stream is read by its readers only", async () => {
  const own = await read(`runs_${team.projectId}`, team.viewer.headers)
  assert.equal(own.statusCode, 200, own.body)
  const { items } = own.json() as { items: StoredEvent[] }
  assert.deepEqual(
    items.map((event) => [event.type, (event.data as { runId: string }).runId]),
    [["run.listed", runId]],
  )
  expectError(await read(`runs_${team.projectId}`, team.stranger.headers), 404, "PROJECT_NOT_FOUND")
})

test("the WebSocket subscribes a reader to the run and refuses a stranger", async () => {
  const address = await harness.app.listen({ port: 0, host: "127.0.0.1" })
  const url = `${address.replace(/^http/, "ws")}/api/stream`
  const frames = (headers: Record<string, string>) =>
    new Promise<{ type: string; code?: string; event?: StoredEvent }[]>((resolve, reject) => {
      const socket = new WebSocket(url, { headers } as unknown as string[])
      const seen: { type: string; code?: string; event?: StoredEvent }[] = []
      socket.onopen = () => socket.send(JSON.stringify({ type: "subscribe", stream: runId, after: 0 }))
      socket.onerror = () => reject(new Error("the socket failed"))
      socket.onmessage = (message) => {
        const frame = JSON.parse(String(message.data)) as {
          type: string
          event?: StoredEvent
          error?: { code: string }
        }
        seen.push({
          type: frame.type,
          ...(frame.error ? { code: frame.error.code } : {}),
          ...(frame.event ? { event: frame.event } : {}),
        })
        if (frame.type === "error" || frame.event?.type === "gate.opened") {
          socket.close()
          resolve(seen)
        }
      }
    })
  const reader = await frames(team.viewer.headers)
  assert.equal(reader.find((frame) => frame.type === "event")?.event?.type, "run.started")
  const stranger = await frames(team.stranger.headers)
  assert.deepEqual(
    stranger.map((frame) => [frame.type, frame.code]),
    [["error", "STREAM_NOT_FOUND"]],
  )
})
