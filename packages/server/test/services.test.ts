import assert from "node:assert/strict"
import { existsSync } from "node:fs"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { DatabaseSync } from "node:sqlite"
import { afterEach, beforeEach, describe, test } from "node:test"
import { Config } from "@xionimus/config"
import { isAppError, silentLogger } from "@xionimus/kit"
import { checkDatabase, createServices, migrateDatabase } from "../src/index.ts"

describe("createServices, migrateDatabase, checkDatabase", () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "xionimus-services-"))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  test("opens SQLite at <dataDir>/xionimus.db and workspaces under <dataDir>/workspaces", async () => {
    const config = Config.parse({ dataDir: join(dir, "data") })
    const services = await createServices(config, silentLogger())
    try {
      assert.equal(services.dataDir, join(dir, "data"))
      assert.equal(services.store.kind, "sqlite")
      assert.ok(existsSync(join(dir, "data", "xionimus.db")))
      assert.equal(services.workspaces.root, join(dir, "data", "workspaces"))
      await services.store.ping()
      await services.bus.ping()
    } finally {
      await services.close()
    }
    await services.close()
  })

  test("without dataDir the data lives in $XDG_DATA_HOME/xionimus", async () => {
    const services = await createServices(Config.parse({}), silentLogger(), {
      env: { XDG_DATA_HOME: join(dir, "xdg"), HOME: join(dir, "home") },
    })
    try {
      assert.equal(services.dataDir, join(dir, "xdg", "xionimus"))
      assert.ok(existsSync(join(dir, "xdg", "xionimus", "xionimus.db")))
    } finally {
      await services.close()
    }
  })

  test("migrateDatabase applies the migrations once; checkDatabase answers", async () => {
    const config = Config.parse({ dataDir: join(dir, "data") })
    const first = await migrateDatabase(config)
    assert.ok(first.applied.length > 0)
    assert.deepEqual(await migrateDatabase(config), { applied: [] })
    await checkDatabase(config)
  })

  test("a database written by a newer version makes createServices fail with DB_TOO_NEW, untouched", async () => {
    const config = Config.parse({ dataDir: join(dir, "data") })
    await migrateDatabase(config)
    const file = join(dir, "data", "xionimus.db")
    const database = new DatabaseSync(file)
    database
      .prepare("insert into xionimus_migration (name, timestamp) values (?, ?)")
      .run("9999-from-the-future", new Date().toISOString())
    database.close()
    await assert.rejects(createServices(config, silentLogger()), (error) => {
      assert.ok(isAppError(error))
      assert.equal(error.code, "DB_TOO_NEW")
      assert.match(error.message, /newer version/)
      return true
    })
    await assert.rejects(migrateDatabase(config), { code: "DB_TOO_NEW" })
    const after = new DatabaseSync(file)
    const names = after.prepare("select name from xionimus_migration order by name").all()
    after.close()
    assert.ok(names.some((row) => row.name === "9999-from-the-future"))
  })

  test("a data directory that cannot be created fails with a message naming it", async () => {
    await writeFile(join(dir, "a-file"), "")
    const dataDir = join(dir, "a-file", "data")
    await assert.rejects(createServices(Config.parse({ dataDir }), silentLogger()), (error) => {
      assert.ok(isAppError(error), String(error))
      assert.equal(error.code, "CONFIG_INVALID")
      assert.match(error.message, /a-file\/data.*--data-dir/)
      return true
    })
  })
})
