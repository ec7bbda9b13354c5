import assert from "node:assert/strict"
import { spawnSync } from "node:child_process"
import { mkdtemp, rm } from "node:fs/promises"
import { hostname, tmpdir } from "node:os"
import { join } from "node:path"
import { test } from "node:test"
import { openStore } from "@xionimus/store"
import { createRunLeases } from "../src/run-leases.ts"

const later = () => new Date(Date.now() + 3_600_000).toISOString()

test("run leases: a live holder keeps its run; an expired lease or a holder gone from this host is taken over at once", async (t) => {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-run-leases-"))
  const store = await openStore({ sqlitePath: join(directory, "xionimus.sqlite") })
  t.after(async () => {
    await store.close()
    await rm(directory, { recursive: true, force: true })
  })
  const sessions = store.sessions
  const live = createRunLeases({
    store: sessions,
    nodeId: `orchestra:${hostname()}:${process.pid}:a`,
    leaseMs: 60_000,
  })
  const other = createRunLeases({
    store: sessions,
    nodeId: `orchestra:${hostname()}:${process.pid}:b`,
    leaseMs: 60_000,
  })

  assert.equal(await live.acquire("orc_live"), true)
  assert.equal(await live.acquire("orc_live"), true, "the holder's own lease is renewed")
  assert.equal(await other.acquire("orc_live"), false, "a live holder keeps it")
  assert.equal(await other.renew("orc_live"), false)

  // A process of this host that has exited held a run: taken over at once, before its expiry.
  const { pid } = spawnSync(process.execPath, ["-e", ""])
  assert.ok(pid)
  await sessions.acquireLease({
    sessionId: "orc_gone",
    turnId: "drv_old",
    nodeId: `orchestra:${hostname()}:${pid}:x`,
    expiresAt: later(),
  })
  // Another host's holder may still run: its lease ends by expiry only.
  await sessions.acquireLease({
    sessionId: "orc_far",
    turnId: "drv_far",
    nodeId: "orchestra:elsewhere:1:y",
    expiresAt: later(),
  })
  // A graceful stop mid-run leaves the lease expired.
  assert.equal(await live.acquire("orc_stopped"), true)
  await live.expire("orc_stopped")
  // Session turns' leases are not runs.
  await sessions.acquireLease({
    sessionId: "ses_x",
    turnId: "trn_x",
    nodeId: "server:elsewhere:1:z",
    expiresAt: "2000-01-01T00:00:00.000Z",
  })

  assert.deepEqual((await other.abandoned()).sort(), ["orc_gone", "orc_stopped"])
  assert.equal(await other.acquire("orc_gone"), true)
  assert.equal(await other.acquire("orc_stopped"), true)
  assert.equal(await other.acquire("orc_far"), false)
  assert.equal(await live.renew("orc_stopped"), false, "the stopped holder lost it")
  assert.deepEqual(await other.abandoned(), [])

  await other.release("orc_gone")
  assert.equal(await live.acquire("orc_gone"), true, "a released lease is free")
})
