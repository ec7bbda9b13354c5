import { after } from "node:test"
import { openStore } from "@xionimus/store"
import { createTestSchema, eventLogContract, storeContract } from "@xionimus/testing"

// Fails (never skips) when PostgreSQL is unreachable: the store's ping raises DB_UNREACHABLE.
const schema = createTestSchema()
after(() => schema.drop())

storeContract("PostgreSQL", () => openStore({ databaseUrl: schema.url, schema: schema.schema }))

eventLogContract("PostgreSQL", async () => {
  const store = await openStore({ databaseUrl: schema.url, schema: schema.schema })
  return { log: store.events, close: () => store.close() }
})
