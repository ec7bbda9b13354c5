import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import type { StoredEvent } from "@xionimus/protocol"
import { createProject, expectError, failedFields } from "../support/expect-error.ts"
import { createTeamFixture } from "../support/team-fixture.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

export function streamTests(): void {
  describe("GET /api/streams/:stream/events", () => {
    let harness: TestApp
    before(async () => {
      harness = await createTestApp()
    })
    after(() => harness.close())

    test("pages through a project's events by seq and reports the head", async () => {
      const project = await createProject(harness.app, "Streamed")
      for (const name of ["a", "b", "c"]) {
        await harness.app.inject({
          method: "PUT",
          url: `/api/projects/${project.id}/files`,
          payload: { path: `${name}.txt`, content: name },
        })
      }
      const url = `/api/streams/${project.id}/events`
      const first = (await harness.app.inject({ method: "GET", url: `${url}?limit=2` })).json()
      assert.deepEqual(
        first.items.map((event: StoredEvent) => event.seq),
        [1, 2],
      )
      assert.equal(first.head, 4)
      const rest = (await harness.app.inject({ method: "GET", url: `${url}?after=2&limit=10` })).json()
      assert.deepEqual(
        rest.items.map((event: StoredEvent) => [
          event.seq,
          event.type,
          (event.data as { path: string }).path,
        ]),
        [
          [3, "file.changed", "b.txt"],
          [4, "file.changed", "c.txt"],
        ],
      )
      for (const event of rest.items as StoredEvent[]) {
        assert.equal(event.stream, project.id)
        assert.match(event.id, /^evt_/)
        assert.ok(!Number.isNaN(Date.parse(event.time)))
      }
      const beyond = (await harness.app.inject({ method: "GET", url: `${url}?after=4` })).json()
      assert.deepEqual(beyond, { items: [], head: 4 })
    })

    test("an empty stream has head 0; a stream of no known kind is STREAM_NOT_FOUND", async () => {
      const response = await harness.app.inject({
        method: "GET",
        url: "/api/streams/imp_nothing-yet-0000000/events",
      })
      assert.deepEqual(response.json(), { items: [], head: 0 })
      for (const stream of ["tst_nothing", "orc_someone-elses-run", "usr_x"]) {
        expectError(
          await harness.app.inject({ method: "GET", url: `/api/streams/${stream}/events` }),
          404,
          "STREAM_NOT_FOUND",
        )
      }
    })

    test("an import's progress is read by the user who started it, nobody else", async () => {
      const fixture = await createTeamFixture(harness, "import-progress")
      const progressId = "imp_owner-only-000000001"
      const created = await harness.app.inject({
        method: "POST",
        url: "/api/projects",
        headers: fixture.owner.headers,
        payload: { name: "Progress owner", template: "python", progressId },
      })
      assert.equal(created.statusCode, 201, created.body)
      const read = (headers: Record<string, string>) =>
        harness.app.inject({ method: "GET", url: `/api/streams/${progressId}/events`, headers })
      const own = (await read(fixture.owner.headers)).json() as { items: StoredEvent[] }
      assert.equal(own.items[0]?.type, "import.started")
      assert.equal(own.items.at(-1)?.type, "import.ended")
      expectError(await read(fixture.stranger.headers), 404, "STREAM_NOT_FOUND")
      expectError(await read(fixture.editor.headers), 404, "STREAM_NOT_FOUND")
      // Taking over someone else's id is refused.
      expectError(
        await harness.app.inject({
          method: "POST",
          url: "/api/projects",
          headers: fixture.stranger.headers,
          payload: { name: "Hijack", progressId },
        }),
        409,
        "PROGRESS_ID_TAKEN",
      )
    })

    test("bad stream names and queries are named", async () => {
      const name = await harness.app.inject({ method: "GET", url: "/api/streams/NOT%20A%20STREAM/events" })
      assert.deepEqual(failedFields(expectError(name, 400, "VALIDATION_FAILED")), ["stream"])
      for (const [query, field] of [
        ["after=-1", "after"],
        ["limit=1001", "limit"],
        ["from=3", "from"],
      ]) {
        const response = await harness.app.inject({
          method: "GET",
          url: `/api/streams/prj_x/events?${query}`,
        })
        assert.deepEqual(failedFields(expectError(response, 400, "VALIDATION_FAILED")), [field], query)
      }
    })
  })
}
