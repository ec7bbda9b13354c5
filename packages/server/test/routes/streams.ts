import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import type { StoredEvent } from "@xionimus/protocol"
import { createProject, expectError, failedFields } from "../support/expect-error.ts"
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

    test("an empty stream has head 0", async () => {
      const response = await harness.app.inject({ method: "GET", url: "/api/streams/tst_nothing/events" })
      assert.deepEqual(response.json(), { items: [], head: 0 })
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
