// The same routes on PostgreSQL (a schema of its own) and Redis (a channel prefix of its own).
// Fails, never skips, when either is unreachable.
import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, test } from "node:test"
import { eventChannel } from "@xionimus/bus"
import { Config } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import type { FileEntry, Project, ServerFrame, StoredEvent } from "@xionimus/protocol"
import {
  createTestSchema,
  randomRedisPrefix,
  redisSubscriberCount,
  type SignedInOwner,
  signInOwner,
  testRedisUrl,
} from "@xionimus/testing"
import { checkDatabase, migrateDatabase, type RunningServer, startServer } from "../src/index.ts"
import { connectFrames } from "./support/frame-client.ts"

describe("routes on PostgreSQL and Redis", () => {
  const schema = createTestSchema()
  const prefix = randomRedisPrefix()
  const serviceOptions = { databaseSchema: schema.schema, redisPrefix: prefix }
  let dir: string
  let config: Config
  let server: RunningServer
  let owner: SignedInOwner

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "xionimus-pg-"))
    config = Config.parse({
      dataDir: dir,
      databaseUrl: schema.url,
      redisUrl: testRedisUrl(),
      server: { host: "127.0.0.1", port: 0, webDir: join(dir, "web") },
    })
    server = await startServer({ config, logger: silentLogger(), services: serviceOptions })
    owner = await signInOwner(server.url)
  })
  after(async () => {
    await server?.close()
    await schema.drop()
    await rm(dir, { recursive: true, force: true })
  })

  // biome-ignore lint/suspicious/noExplicitAny: the answers are read loosely; their shapes are asserted below
  type Answer = { status: number; body: any }
  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      ...(body === undefined
        ? { headers: owner.headers }
        : { headers: { "content-type": "application/json", ...owner.headers }, body: JSON.stringify(body) }),
    })
    return { status: response.status, body: response.status === 204 ? undefined : await response.json() }
  }

  test("migrations ran in the run's schema; readiness checks PostgreSQL and Redis", async () => {
    const tables = await schema.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = $1 order by table_name",
      [schema.schema],
    )
    assert.ok(tables.some((row) => row.table_name === "project"))
    assert.deepEqual(await migrateDatabase(config, serviceOptions), { applied: [] })
    await checkDatabase(config, serviceOptions)
    const ready = await call("GET", "/readyz")
    assert.deepEqual(ready, {
      status: 200,
      body: { status: "ready", checks: { database: { ok: true }, bus: { ok: true } } },
    })
  })

  test("projects and files work, and events reach a WebSocket subscriber through Redis", async () => {
    const created = await call("POST", "/api/projects", { name: "On Postgres" })
    assert.equal(created.status, 201)
    const project = created.body as Project
    const duplicate = await call("POST", "/api/projects", { name: "ON POSTGRES" })
    assert.deepEqual([duplicate.status, duplicate.body.error.code], [409, "PROJECT_NAME_TAKEN"])
    const rows = await schema.query<{ name: string }>("select name from project")
    assert.deepEqual(
      rows.map((row) => row.name),
      ["On Postgres"],
    )

    const client = await connectFrames(`${server.url.replace("http", "ws")}/api/stream`, owner.headers)
    client.send({ type: "subscribe", stream: project.id, after: 0 })
    assert.deepEqual(await client.next(), { type: "subscribed", stream: project.id, head: 1 })
    assert.equal(
      ((await client.next()) as Extract<ServerFrame, { type: "event" }>).event.type,
      "project.created",
    )
    // The live subscription is a real Redis channel subscription under this run's prefix.
    const channel = prefix + eventChannel(project.id)
    assert.equal(await redisSubscriberCount(channel), 1)

    const written = await call("PUT", `/api/projects/${project.id}/files`, { path: "pg.txt", content: "hi" })
    assert.equal(written.status, 200)
    const live = (await client.next()) as Extract<ServerFrame, { type: "event" }>
    const { by, ...data } = live.event.data as { by?: { userId?: string } }
    assert.deepEqual([live.event.seq, data], [2, { path: "pg.txt", change: "created", entryType: "file" }])
    assert.match(by?.userId ?? "", /^usr_/, "the change names who made it")
    const stale = await call("PUT", `/api/projects/${project.id}/files`, {
      path: "pg.txt",
      content: "again",
      expectedVersion: "stale",
    })
    assert.deepEqual([stale.status, stale.body.error.code], [409, "VERSION_CONFLICT"])
    const read = await call("GET", `/api/projects/${project.id}/files?path=pg.txt`)
    assert.equal((read.body.entry as FileEntry).version, (written.body as FileEntry).version)

    const list = await call("GET", "/api/projects?limit=10")
    assert.deepEqual(
      list.body.items.map((item: Project) => item.id),
      [project.id],
    )
    const deleted = await call("DELETE", `/api/projects/${project.id}`)
    assert.ok(deleted.body.deletedAt)
    const files = await call("GET", `/api/projects/${project.id}/tree`)
    assert.deepEqual([files.status, files.body.error.code], [409, "PROJECT_DELETED"])
    assert.equal((await call("POST", `/api/projects/${project.id}/restore`)).status, 200)
    const events = await call("GET", `/api/streams/${project.id}/events`)
    assert.deepEqual(
      events.body.items.map((event: StoredEvent) => event.type),
      ["project.created", "file.changed", "project.deleted", "project.restored"],
    )
    assert.equal(events.body.head, 4)
    await client.close()
    for (let tries = 0; (await redisSubscriberCount(channel)) > 0; tries++) {
      assert.ok(tries < 500, "the Redis subscription was never released")
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  })
})
