import assert from "node:assert/strict"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { type Generated, Kysely, sql } from "kysely"
import { NodeSqliteDialect } from "../src/sqlite/node-sqlite-dialect.ts"
import { openSqliteDatabase } from "../src/sqlite/open-sqlite-database.ts"

interface Tables {
  item: { id: Generated<number>; label: string }
}

describe("node:sqlite dialect", () => {
  let directory: string
  let db: Kysely<Tables>
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), "xionimus-dialect-"))
    db = new Kysely<Tables>({
      dialect: new NodeSqliteDialect(openSqliteDatabase(join(directory, "test.sqlite"))),
    })
    await db.schema
      .createTable("item")
      .addColumn("id", "integer", (column) => column.primaryKey())
      .addColumn("label", "text", (column) => column.notNull())
      .execute()
  })
  after(async () => {
    await db.destroy()
    await rm(directory, { recursive: true, force: true })
  })

  it("opens with WAL, a 5 s busy timeout, foreign keys and NORMAL sync", async () => {
    const pragma = async (name: string) =>
      Object.values((await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(db)).rows[0] ?? {})[0]
    assert.equal(await pragma("journal_mode"), "wal")
    assert.equal(await pragma("busy_timeout"), 5000)
    assert.equal(await pragma("foreign_keys"), 1)
    assert.equal(await pragma("synchronous"), 1)
  })

  it("returns rows for selects and RETURNING, counts for other writes", async () => {
    const inserted = await db.insertInto("item").values({ label: "a" }).returning(["id", "label"]).execute()
    assert.deepEqual(
      inserted.map((row) => ({ ...row })),
      [{ id: 1, label: "a" }],
    )
    const result = await db.updateTable("item").set({ label: "b" }).where("id", "=", 1).executeTakeFirst()
    assert.equal(result.numUpdatedRows, 1n)
    const rows = await db.selectFrom("item").select("label").execute()
    assert.deepEqual(
      rows.map((row) => row.label),
      ["b"],
    )
    await db.deleteFrom("item").execute()
  })

  it("holds the connection for a transaction: other queries wait until it ends", async () => {
    const order: string[] = []
    let finish: () => void = () => {}
    const finished = new Promise<void>((resolve) => {
      finish = resolve
    })
    const transaction = db.transaction().execute(async (trx) => {
      await trx.insertInto("item").values({ label: "in transaction" }).execute()
      order.push("inserted")
      await finished
      order.push("committing")
    })
    while (order.length === 0) await new Promise((resolve) => setImmediate(resolve))
    const outside = db
      .selectFrom("item")
      .selectAll()
      .execute()
      .then((rows) => {
        order.push(`read ${rows.length}`)
      })
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve))
    assert.deepEqual(order, ["inserted"], "the outside read waits for the transaction")
    finish()
    await Promise.all([transaction, outside])
    assert.deepEqual(order, ["inserted", "committing", "read 1"])
    await db.deleteFrom("item").execute()
  })

  it("rolls a failed transaction back", async () => {
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await trx.insertInto("item").values({ label: "lost" }).execute()
        throw new Error("abort")
      }),
      /abort/,
    )
    assert.deepEqual(await db.selectFrom("item").selectAll().execute(), [])
  })
})
