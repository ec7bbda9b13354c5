// Two server nodes on one PostgreSQL schema and one Redis prefix: a turn run by one node reaches a
// WebSocket client of the other, in order, exactly as the shared log holds it. Fails, never skips, when
// PostgreSQL or Redis is unreachable.
import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, test } from "node:test"
import { Config } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import type { ServerFrame, Session, StoredEvent } from "@xionimus/protocol"
import {
  createScriptedModel,
  createTestSchema,
  randomRedisPrefix,
  type SignedInOwner,
  signInOwner,
  testRedisUrl,
} from "@xionimus/testing"
import { type RunningServer, startServer } from "../src/index.ts"
import { connectFrames } from "./support/frame-client.ts"

type EventFrame = Extract<ServerFrame, { type: "event" }>

const schema = createTestSchema()
const model = createScriptedModel()
let dir: string
let nodes: RunningServer[] = []
let owner: SignedInOwner

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "xionimus-nodes-"))
  const config = Config.parse({
    dataDir: dir,
    databaseUrl: schema.url,
    redisUrl: testRedisUrl(),
    server: { host: "127.0.0.1", port: 0, webDir: join(dir, "web") },
    models: { default: "scripted/model" },
  })
  const services = { databaseSchema: schema.schema, redisPrefix: randomRedisPrefix(), modelPort: model }
  nodes = [
    await startServer({ config, logger: silentLogger(), services }),
    await startServer({ config, logger: silentLogger(), services }),
  ]
  owner = await signInOwner(nodes[0]!.url)
})
after(async () => {
  for (const node of nodes) await node.close()
  await schema.drop()
  await rm(dir, { recursive: true, force: true })
  model.verify()
})

async function call<T>(node: RunningServer, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${node.url}${path}`, {
    method,
    headers: { ...owner.headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`)
  return (text ? JSON.parse(text) : undefined) as T
}

test("a turn on node A streams to a WebSocket client of node B over Redis, in log order", async () => {
  const [a, b] = nodes as [RunningServer, RunningServer]
  const project = await call<{ id: string }>(a, "POST", "/api/projects", { name: "Two nodes" })
  const session = await call<Session>(a, "POST", `/api/projects/${project.id}/sessions`, {})
  const client = await connectFrames(`${b.url.replace("http", "ws")}/api/stream`, owner.headers)
  client.send({ type: "subscribe", stream: session.id, after: 0 })
  await client.next((frame) => frame.type === "subscribed")

  model.enqueue({ text: "Answered by node A and read on node B." })
  await call(a, "POST", `/api/sessions/${session.id}/messages`, { text: "Hello, nodes" })
  const received: StoredEvent[] = []
  for (;;) {
    const frame = (await client.next((candidate) => candidate.type === "event")) as EventFrame
    received.push(frame.event)
    if (frame.event.type === "turn.ended") break
  }
  await client.close()

  const log = await call<{ items: StoredEvent[] }>(b, "GET", `/api/sessions/${session.id}/events?limit=1000`)
  assert.deepEqual(received, log.items)
  assert.equal((received.at(-1)!.data as { outcome: string }).outcome, "completed")
  const read = await call<Session>(b, "GET", `/api/sessions/${session.id}`)
  assert.equal(read.runState, "idle")
  assert.equal(read.head, log.items.length)
})
