import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { after, describe, it } from "node:test"
import { openStore, type StoreOptions } from "@xionimus/store"
import { createTestSchema } from "@xionimus/testing"

const allMigrations = [
  "0001_projects",
  "0002_events",
  "0003_auth",
  "0003_teams",
  "0003_totp",
  "0003_two_factor_policy",
  "0003_user_identity",
  "0004_usage",
  "0005_sessions",
  "0006_accounts",
  "0007_user_preferences",
]

interface Target {
  options(): StoreOptions
  /** Runs SQL on the database behind the store's back. */
  query(text: string): Promise<Record<string, unknown>[]>
}

async function sqliteTarget(): Promise<Target & { cleanup(): Promise<void> }> {
  const directory = await mkdtemp(join(tmpdir(), "xionimus-migrate-"))
  const path = join(directory, "xionimus.sqlite")
  return {
    options: () => ({ sqlitePath: path }),
    async query(text) {
      const database = new DatabaseSync(path)
      try {
        return database.prepare(text).all() as Record<string, unknown>[]
      } finally {
        database.close()
      }
    },
    cleanup: () => rm(directory, { recursive: true, force: true }),
  }
}

function postgresTarget(): Target & { cleanup(): Promise<void> } {
  const schema = createTestSchema()
  return {
    options: () => ({ databaseUrl: schema.url, schema: schema.schema }),
    query: (text) => schema.query(text),
    cleanup: () => schema.drop(),
  }
}

for (const [name, makeTarget] of [
  ["SQLite", sqliteTarget],
  ["PostgreSQL", async () => postgresTarget()],
] as const) {
  describe(`migrations on ${name}`, () => {
    const cleanups: (() => Promise<void>)[] = []
    after(async () => {
      for (const cleanup of cleanups) await cleanup()
    })
    async function target(): Promise<Target> {
      const made = await makeTarget()
      cleanups.push(made.cleanup)
      return made
    }

    it("applies every migration once; running them again is a no-op", async () => {
      const database = await target()
      const store = await openStore({ ...database.options(), migrate: false })
      try {
        assert.deepEqual(await store.migrate(), { applied: allMigrations })
        assert.deepEqual(await store.migrate(), { applied: [] })
      } finally {
        await store.close()
      }
      const reopened = await openStore(database.options())
      assert.deepEqual(await reopened.migrate(), { applied: [] })
      await reopened.close()
      const rows = await database.query("select name from xionimus_migration order by name")
      assert.deepEqual(
        rows.map((row) => row.name),
        allMigrations,
      )
      assert.equal((await database.query("select * from xionimus_migration_lock")).length, 1)
    })

    it("refuses a database from a newer version with DB_TOO_NEW and changes nothing", async () => {
      const database = await target()
      const store = await openStore(database.options())
      await store.projects.create({
        id: "prj_0190b6f3a2c1003J9xQ2mP7vLa",
        name: "kept",
        source: { kind: "empty" },
      })
      await store.close()
      await database.query(
        "insert into xionimus_migration (name, timestamp) values ('9999_from_the_future', '2099-01-01T00:00:00.000Z')",
      )
      const before = await database.query("select name, timestamp from xionimus_migration order by name")

      await assert.rejects(openStore(database.options()), (error: { code?: string; message: string }) => {
        assert.equal(error.code, "DB_TOO_NEW")
        assert.match(error.message, /newer version of Xionimus/)
        assert.match(error.message, /9999_from_the_future/)
        return true
      })
      const unmigrated = await openStore({ ...database.options(), migrate: false })
      await assert.rejects(unmigrated.migrate(), { code: "DB_TOO_NEW" })
      await unmigrated.close()

      assert.deepEqual(
        await database.query("select name, timestamp from xionimus_migration order by name"),
        before,
      )
      assert.deepEqual(
        (await database.query("select name from project")).map((row) => row.name),
        ["kept"],
      )
    })
  })
}

describe("migrations on PostgreSQL, two nodes at once", () => {
  const schema = createTestSchema()
  after(() => schema.drop())

  it("applies each migration exactly once under the lock", async () => {
    const options = { databaseUrl: schema.url, schema: schema.schema, migrate: false }
    const stores = await Promise.all([openStore(options), openStore(options), openStore(options)])
    try {
      const results = await Promise.all(stores.map((store) => store.migrate()))
      assert.deepEqual(results.flatMap((result) => result.applied).sort(), allMigrations)
    } finally {
      await Promise.all(stores.map((store) => store.close()))
    }
  })
})
