import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before } from "node:test"
import { openStore } from "@xionimus/store"
import { createTestSchema, sessionStoreContract } from "@xionimus/testing"

let directory: string
before(async () => {
  directory = await mkdtemp(join(tmpdir(), "xionimus-sessions-"))
})
after(() => rm(directory, { recursive: true, force: true }))

sessionStoreContract("SQLite", (clock) =>
  openStore({ sqlitePath: join(directory, "xionimus.sqlite"), clock }),
)

// Fails (never skips) when PostgreSQL is unreachable: the store's ping raises DB_UNREACHABLE.
const schema = createTestSchema()
after(() => schema.drop())

sessionStoreContract("PostgreSQL", (clock) =>
  openStore({ databaseUrl: schema.url, schema: schema.schema, clock }),
)
