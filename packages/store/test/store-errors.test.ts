import assert from "node:assert/strict"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import { openStore } from "@xionimus/store"
import { translateDatabaseError } from "../src/database-error.ts"

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  assert.ok(address && typeof address === "object")
  return address.port
}

describe("store errors", () => {
  it("raises DB_UNREACHABLE when PostgreSQL does not answer", async () => {
    const port = await closedPort()
    await assert.rejects(openStore({ databaseUrl: `postgres://root@127.0.0.1:${port}/test` }), {
      code: "DB_UNREACHABLE",
    })
  })

  it("raises CONFIG_INVALID for a schema name it will not quote", async () => {
    await assert.rejects(openStore({ databaseUrl: "postgres://root@127.0.0.1/test", schema: 'x"; drop' }), {
      code: "CONFIG_INVALID",
    })
  })

  it("raises CONFIG_INVALID without a database to open", async () => {
    await assert.rejects(openStore({}), { code: "CONFIG_INVALID" })
    await assert.rejects(openStore({ databaseUrl: "mysql://localhost/x" }), { code: "CONFIG_INVALID" })
  })

  it("raises DB_UNREACHABLE when the SQLite file cannot be opened", async () => {
    const directory = await mkdtemp(join(tmpdir(), "xionimus-store-"))
    try {
      // A directory where the file should be.
      await assert.rejects(openStore({ sqlitePath: directory }), { code: "DB_UNREACHABLE" })
      // A file where the directory should be.
      await writeFile(join(directory, "file"), "")
      await assert.rejects(openStore({ sqlitePath: join(directory, "file", "db.sqlite") }), {
        code: "DB_UNREACHABLE",
      })
    } finally {
      await rm(directory, { recursive: true, force: true })
    }
  })

  it("maps full and read-only storage to DISK_FULL and READ_ONLY_STORAGE", () => {
    const sqlite = (errcode: number) =>
      Object.assign(new Error("sqlite"), { code: "ERR_SQLITE_ERROR", errcode })
    const postgres = (code: string) => Object.assign(new Error("pg"), { code })
    assert.equal((translateDatabaseError(sqlite(13)) as { code: string }).code, "DISK_FULL")
    assert.equal((translateDatabaseError(sqlite(8)) as { code: string }).code, "READ_ONLY_STORAGE")
    assert.equal((translateDatabaseError(sqlite(1032)) as { code: string }).code, "READ_ONLY_STORAGE")
    assert.equal((translateDatabaseError(postgres("53100")) as { code: string }).code, "DISK_FULL")
    assert.equal((translateDatabaseError(postgres("ENOSPC")) as { code: string }).code, "DISK_FULL")
    assert.equal((translateDatabaseError(postgres("EROFS")) as { code: string }).code, "READ_ONLY_STORAGE")
    assert.equal((translateDatabaseError(postgres("57P01")) as { code: string }).code, "DB_UNREACHABLE")
    const other = postgres("23503")
    assert.equal(translateDatabaseError(other), other)
  })
})
