// The activity feed against the real server: the latest page newest first, older pages on request, live
// events merged in without duplicates.
import assert from "node:assert/strict"
import { after, before, test } from "node:test"
import type { Client, SessionsClient, StreamClient } from "@xionimus/sdk"
import { createActivityFeed, groupActivity } from "../src/stores/activity-store.ts"
import { eventually, type RealServer, startRealServer } from "./support/real-server.ts"

let real: RealServer
let client: Client
let sessions: SessionsClient
let streams: StreamClient

before(async () => {
  real = await startRealServer()
  ;({ client, sessions, streams } = real)
})
after(() => real?.close())

test("latest page newest first, older pages on request, then live events on top", async () => {
  const project = await client.createProject({ name: "Feed" })
  for (let index = 1; index <= 7; index += 1) {
    await client.createEntry(project.id, { path: `f${index}.txt`, type: "file", content: String(index) })
  }
  const { head } = await client.events(project.id, { after: 0, limit: 1 })
  const feed = createActivityFeed({ client, streams, projectId: project.id, pageSize: 3 })
  try {
    await eventually(() => !feed.state.get().loading, "the first page")
    const seqs = () => feed.state.get().items.map((event) => event.seq)
    assert.deepEqual(seqs(), [head, head - 1, head - 2])
    assert.equal(feed.state.get().hasOlder, true)
    assert.deepEqual(
      { ...(feed.state.get().items[0]?.data as object), by: undefined },
      { path: "f7.txt", change: "created", entryType: "file", by: undefined },
    )

    while (feed.state.get().hasOlder) await feed.loadOlder()
    assert.deepEqual(
      seqs(),
      Array.from({ length: head }, (_, index) => head - index),
    )

    await client.createEntry(project.id, { path: "live.txt", type: "file", content: "now" })
    await eventually(() => feed.state.get().items[0]?.seq === head + 1, "the live event")
    assert.deepEqual(
      { ...(feed.state.get().items[0]?.data as object), by: undefined },
      { path: "live.txt", change: "created", entryType: "file", by: undefined },
    )
    assert.equal(new Set(seqs()).size, seqs().length, "each seq once")
  } finally {
    feed.dispose()
  }
})

test("keeps at most `keep` events; an empty project has nothing older", async () => {
  const project = await client.createProject({ name: "Quiet" })
  const { head } = await client.events(project.id, { after: 0, limit: 1 })
  const feed = createActivityFeed({ client, streams, projectId: project.id, pageSize: 10, keep: 2 })
  try {
    await eventually(() => !feed.state.get().loading, "the first page")
    assert.equal(feed.state.get().items.length, Math.min(head, 2))
    for (const name of ["a", "b", "c"]) {
      await client.createEntry(project.id, { path: `${name}.txt`, type: "file", content: name })
    }
    await eventually(() => feed.state.get().items[0]?.seq === head + 3, "three live events")
    assert.deepEqual(
      feed.state.get().items.map((event) => (event.data as { path: string }).path),
      ["c.txt", "b.txt"],
    )
    assert.equal(feed.state.get().hasOlder, true)
  } finally {
    feed.dispose()
  }
})

test("a failed load shows the error and retry loads again", async () => {
  const feed = createActivityFeed({ client, streams, projectId: "prj_doesnotexist", pageSize: 5 })
  try {
    await eventually(() => feed.state.get().error !== null, "the error")
    assert.equal(feed.state.get().loading, false)
    assert.ok(feed.state.get().error?.code)
    await feed.retry()
    assert.ok(feed.state.get().error)
  } finally {
    feed.dispose()
  }
})

test("sessions named in the feed get their titles, also when one is renamed live", async () => {
  const project = await client.createProject({ name: "Talks" })
  const first = await sessions.create(project.id, { title: "Fix the build" })
  const feed = createActivityFeed({ client, streams, sessions, projectId: project.id })
  try {
    await eventually(() => feed.titles.get()[first.id] === "Fix the build", "the first title")
    await sessions.update(first.id, { title: "Fix the build, really" })
    await eventually(() => feed.titles.get()[first.id] === "Fix the build, really", "the new title")
    const second = await sessions.create(project.id, { title: "Write docs" })
    await eventually(() => feed.titles.get()[second.id] === "Write docs", "a live session's title")
    assert.ok(feed.state.get().items.some((event) => event.type === "session.added"))
  } finally {
    feed.dispose()
  }
})

test("groupActivity folds runs of the same change to one file or session, nothing else", () => {
  let seq = 100
  const event = (type: string, data: unknown) => ({
    id: `evt_${seq}`,
    stream: "prj_1",
    seq: seq--,
    type,
    data,
    time: "2026-12-04T12:00:00.000Z",
  })
  const items = [
    event("file.changed", { path: "a.ts", change: "updated" }),
    event("file.changed", { path: "a.ts", change: "updated" }),
    event("file.changed", { path: "a.ts", change: "updated" }),
    event("file.changed", { path: "b.ts", change: "updated" }),
    event("file.changed", { path: "a.ts", change: "updated" }),
    event("session.changed", { sessionId: "ses_1", change: "changed" }),
    event("session.changed", { sessionId: "ses_1", change: "changed" }),
    event("session.changed", { sessionId: "ses_2", change: "changed" }),
    event("file.changed", { path: "c.ts", change: "created" }),
    event("file.changed", { path: "c.ts", change: "created" }),
    event("project.renamed", {}),
    event("project.renamed", {}),
  ]
  assert.deepEqual(
    groupActivity(items).map((group) => [group.event.seq, group.count]),
    [
      [100, 3],
      [97, 1],
      [96, 1],
      [95, 2],
      [93, 1],
      [92, 1],
      [91, 1],
      [90, 1],
      [89, 1],
    ],
  )
})
