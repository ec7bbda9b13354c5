import assert from "node:assert/strict"
import { join } from "node:path"
import { test } from "node:test"
import { runCli } from "../src/index.ts"
import { createTestIo } from "./helpers.ts"

test("migrate applies every migration once, listing them, then reports the database up to date", async (context) => {
  const { io, stdout, root } = await createTestIo(context)
  const dataDir = join(root, "data")
  assert.equal(await runCli(["migrate", "--data-dir", dataDir], io), 0)
  const lines = stdout.text.trim().split("\n")
  assert.equal(lines[0], `database: SQLite in ${dataDir}`)
  const applied = lines.filter((line) => /^applied \d{4}_\w+$/.test(line))
  assert.ok(applied.length > 0, stdout.text)
  assert.equal(lines.at(-1), `applied ${applied.length} migration${applied.length === 1 ? "" : "s"}`)

  stdout.text = ""
  assert.equal(await runCli(["migrate", "--data-dir", dataDir], io), 0)
  assert.equal(stdout.text, `database: SQLite in ${dataDir}\nthe database is up to date\n`)
})

test("migrate with an invalid configuration exits 1", async (context) => {
  const { io, stderr } = await createTestIo(context, { XIONIMUS_DATABASE_URL: "sqlite://nope" })
  assert.equal(await runCli(["migrate"], io), 1)
  assert.match(
    stderr.text,
    /XIONIMUS_DATABASE_URL: databaseUrl: expected a postgres:\/\/ or postgresql:\/\/ URL/,
  )
})
