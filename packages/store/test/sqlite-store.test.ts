import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before } from "node:test"
import { openStore } from "@xionimus/store"
import { eventLogContract, storeContract } from "@xionimus/testing"

let directory: string
before(async () => {
  directory = await mkdtemp(join(tmpdir(), "xionimus-store-"))
})
after(() => rm(directory, { recursive: true, force: true }))

storeContract("SQLite", () => openStore({ sqlitePath: join(directory, "projects", "xionimus.sqlite") }))

eventLogContract("SQLite", async () => {
  const store = await openStore({ sqlitePath: join(directory, "events", "xionimus.sqlite") })
  return { log: store.events, close: () => store.close() }
})
