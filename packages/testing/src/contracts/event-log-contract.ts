import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import type { EventLog } from "@xionimus/bus"
import { newId } from "@xionimus/kit"
import type { NewEvent } from "@xionimus/protocol"

export interface EventLogFixture {
  log: EventLog
  close(): Promise<void>
}

const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

function events(count: number, type = "test.event.added"): NewEvent[] {
  return Array.from({ length: count }, (_, index) => ({ id: newId("evt"), type, data: { index } }))
}

/**
 * What every EventLog (the store's on SQLite and on PostgreSQL) must do. `open` is called once for
 * the suite; each test works on streams of its own.
 */
export function eventLogContract(name: string, open: () => Promise<EventLogFixture>): void {
  describe(`EventLog contract: ${name}`, () => {
    let fixture: EventLogFixture
    let log: EventLog
    before(async () => {
      fixture = await open()
      log = fixture.log
    })
    after(() => fixture?.close())

    it("an empty stream has head 0 and no events", async () => {
      const stream = newId("prj")
      assert.equal(await log.head(stream), 0)
      assert.deepEqual(await log.read(stream, { after: 0, limit: 10 }), [])
    })

    it("append numbers events 1, 2, 3 … across calls and read returns them as stored", async () => {
      const stream = newId("prj")
      const first = await log.append(stream, events(2))
      const second = await log.append(stream, events(3))
      const stored = [...first, ...second]
      assert.deepEqual(
        stored.map((event) => event.seq),
        [1, 2, 3, 4, 5],
      )
      for (const event of stored) {
        assert.equal(event.stream, stream)
        assert.equal(event.type, "test.event.added")
        assert.match(event.time, isoTime)
      }
      assert.deepEqual(await log.read(stream, { after: 0, limit: 100 }), stored)
      assert.equal(await log.head(stream), 5)
    })

    it("read returns seq > after, in order, at most limit", async () => {
      const stream = newId("prj")
      await log.append(stream, events(10))
      const page = await log.read(stream, { after: 3, limit: 4 })
      assert.deepEqual(
        page.map((event) => event.seq),
        [4, 5, 6, 7],
      )
      assert.deepEqual(await log.read(stream, { after: 10, limit: 4 }), [])
    })

    it("keeps streams apart", async () => {
      const [one, two] = [newId("prj"), newId("ses")]
      await log.append(one, events(2))
      const [only] = await log.append(two, events(1))
      assert.equal(only?.seq, 1)
      assert.equal(await log.head(one), 2)
      assert.deepEqual(await log.read(two, { after: 0, limit: 10 }), [only])
    })

    it("stores data as JSON: what read returns equals what append returned", async () => {
      const stream = newId("prj")
      const values = [
        { nested: { list: [1, "two", null, true], empty: {} } },
        "text with ünïcödé, emoji 🧪, a NUL \u0000 and a quote \"'",
        -12.5,
        false,
        null,
        [],
      ]
      const stored = await log.append(
        stream,
        values.map((data) => ({ id: newId("evt"), type: "test.data.kept", data })),
      )
      assert.deepEqual(
        stored.map((event) => event.data),
        values,
      )
      assert.deepEqual(await log.read(stream, { after: 0, limit: 10 }), stored)
      const [missing] = await log.append(stream, [
        { id: newId("evt"), type: "test.data.kept", data: undefined },
      ])
      assert.equal(missing?.data, null)
    })

    it("append is idempotent on event id: a retry returns the stored copy and appends nothing", async () => {
      const stream = newId("prj")
      const [first] = await log.append(stream, [
        { id: "evt_retry", type: "test.event.added", data: { try: 1 } },
      ])
      const [again] = await log.append(stream, [
        { id: "evt_retry", type: "test.other.added", data: { try: 2 } },
      ])
      assert.deepEqual(again, first)
      assert.equal(await log.head(stream), 1)
    })

    it("a batch mixing stored and new ids appends only the new ones, keeping the batch order", async () => {
      const stream = newId("prj")
      const [a, b] = await log.append(stream, events(2))
      const [c, d] = events(2)
      const stored = await log.append(stream, [c!, a!, d!, b!])
      assert.deepEqual(
        stored.map((event) => [event.id, event.seq]),
        [
          [c!.id, 3],
          [a!.id, 1],
          [d!.id, 4],
          [b!.id, 2],
        ],
      )
      assert.equal(await log.head(stream), 4)
    })

    it("an id repeated within one batch is stored once", async () => {
      const stream = newId("prj")
      const [event] = events(1)
      const stored = await log.append(stream, [event!, { ...event!, data: "second" }])
      assert.deepEqual(stored[1], stored[0])
      assert.equal(await log.head(stream), 1)
    })

    it("the same id in two streams is two events", async () => {
      const [one, two] = [newId("prj"), newId("prj")]
      const [event] = events(1)
      await log.append(one, [event!])
      const [copy] = await log.append(two, [event!])
      assert.equal(copy?.stream, two)
      assert.equal(copy?.seq, 1)
    })

    it("an empty append stores nothing", async () => {
      const stream = newId("prj")
      assert.deepEqual(await log.append(stream, []), [])
      assert.equal(await log.head(stream), 0)
    })

    it("20 concurrent appenders on one stream get gap-free seqs, each event once", async () => {
      const stream = newId("prj")
      const batches = Array.from({ length: 20 }, () => events(5))
      const results = await Promise.all(batches.map((batch) => log.append(stream, batch)))
      for (const result of results) {
        const seqs = result.map((event) => event.seq)
        // One call's events are consecutive: the batch is appended atomically.
        assert.deepEqual(
          seqs,
          seqs.map((_, index) => seqs[0]! + index),
        )
      }
      const all = await log.read(stream, { after: 0, limit: 1000 })
      assert.deepEqual(
        all.map((event) => event.seq),
        Array.from({ length: 100 }, (_, index) => index + 1),
      )
      assert.equal(new Set(all.map((event) => event.id)).size, 100)
      assert.equal(await log.head(stream), 100)
    })

    it("concurrent retries of one new event store it once and all get its copy", async () => {
      const stream = newId("prj")
      await log.append(stream, events(1))
      const [event] = events(1)
      const results = await Promise.all(Array.from({ length: 10 }, () => log.append(stream, [event!])))
      for (const [stored] of results) assert.deepEqual(stored, results[0]![0])
      assert.equal(results[0]![0]!.seq, 2)
      assert.equal(await log.head(stream), 2)
    })
  })
}
