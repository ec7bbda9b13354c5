import assert from "node:assert/strict"
import { test } from "node:test"
import { checkNode } from "../src/doctor/tool-checks.ts"
import { runCli } from "../src/index.ts"
import { createTestIo, projectConfigFile, writeText } from "./helpers.ts"

interface Check {
  name: string
  status: string
  required: boolean
  detail: string
  fix?: string
}

function byName(checks: Check[], name: string): Check {
  const check = checks.find((candidate) => candidate.name === name)
  assert.ok(check, `a ${name} check`)
  return check
}

test("the Node check fails below 22.12, warns below 24 and passes on 24", () => {
  assert.equal(checkNode("22.11.0").status, "fail")
  assert.match(checkNode("20.20.2").fix ?? "", /npm install/)
  assert.equal(checkNode("22.12.0").status, "warn")
  assert.equal(checkNode("23.9.1").status, "warn")
  assert.equal(checkNode("24.0.0").status, "ok")
})

test("missing programs fail with the apt-get line that installs them; exit 1", async (context) => {
  const probe = await createTestIo(context)
  // An empty PATH: git, bwrap and rg cannot be found.
  const { io, stdout } = await createTestIo(context, { PATH: probe.root, CHROME_PATH: `${probe.root}/none` })
  assert.equal(await runCli(["doctor", "--json", "--data-dir", `${probe.root}/data`], io), 1)
  const { ok, checks } = JSON.parse(stdout.text) as { ok: boolean; checks: Check[] }
  assert.equal(ok, false)
  for (const [name, fix] of [
    ["git", "apt-get install -y git"],
    ["bubblewrap", "apt-get install -y bubblewrap"],
    ["ripgrep", "apt-get install -y ripgrep"],
  ]) {
    assert.deepEqual(byName(checks, name!), {
      name,
      status: "fail",
      required: true,
      detail: "not found",
      fix,
    })
  }
  const chromium = byName(checks, "Chromium")
  assert.deepEqual([chromium.status, chromium.required], ["warn", false])
  assert.match(chromium.fix ?? "", /apt-get install -y chromium/)
  assert.equal(byName(checks, "data directory").status, "ok")
})

test("the text output has one ✓/✗/! line per check, the fix under each failure and a summary", async (context) => {
  const probe = await createTestIo(context)
  const { io, stdout } = await createTestIo(context, { PATH: probe.root, CHROME_PATH: `${probe.root}/none` })
  assert.equal(await runCli(["doctor", "--data-dir", `${probe.root}/data`], io), 1)
  const lines = stdout.text.split("\n")
  assert.match(lines.find((line) => line.includes("git")) ?? "", /^✗ git +not found$/)
  assert.match(
    lines[lines.findIndex((line) => line.startsWith("✗ git")) + 1] ?? "",
    /fix: apt-get install -y git$/,
  )
  assert.match(lines.find((line) => line.includes("data directory")) ?? "", /^✓ data directory/)
  assert.match(lines.find((line) => line.includes("Chromium")) ?? "", /^! Chromium/)
  assert.match(stdout.text, /required checks? failed: git, bubblewrap, ripgrep/)
})

test("a data directory that cannot be created fails, and the SQLite check is skipped", async (context) => {
  const { io, stdout, root } = await createTestIo(context)
  await writeText(`${root}/a-file`, "not a directory")
  assert.equal(await runCli(["doctor", "--json", "--data-dir", `${root}/a-file/data`], io), 1)
  const { checks } = JSON.parse(stdout.text) as { checks: Check[] }
  const dataDir = byName(checks, "data directory")
  assert.equal(dataDir.status, "fail")
  assert.match(dataDir.detail, /ENOTDIR/)
  assert.match(dataDir.fix ?? "", /--data-dir/)
  assert.match(byName(checks, "database").detail, /^not checked/)
})

test("an invalid configuration is a failed check, and the checks that need it are not run", async (context) => {
  const { io, stdout, cwd } = await createTestIo(context)
  await writeText(projectConfigFile(cwd), '{ "dataDir": 5 }')
  assert.equal(await runCli(["doctor", "--json"], io), 1)
  const { checks } = JSON.parse(stdout.text) as { checks: Check[] }
  const config = byName(checks, "configuration")
  assert.equal(config.status, "fail")
  assert.match(config.detail, /\.xionimus\/config\.json: dataDir: expected a non-empty string, got 5/)
  assert.match(byName(checks, "data directory").detail, /^not checked: the configuration is invalid/)
})

test("an unreachable Redis fails with the fix; the password is not shown", async (context) => {
  const { createServer } = await import("node:net")
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  const { io, stdout, root } = await createTestIo(context, {
    REDIS_URL: `redis://:hunter2@127.0.0.1:${port}`,
  })
  assert.equal(await runCli(["doctor", "--json", "--data-dir", `${root}/data`], io), 1)
  const redis = byName((JSON.parse(stdout.text) as { checks: Check[] }).checks, "Redis")
  assert.equal(redis.status, "fail")
  assert.match(redis.detail, /ECONNREFUSED/)
  assert.match(redis.fix ?? "", /REDIS_URL/)
  assert.ok(!stdout.text.includes("hunter2"))
})

test("on this machine, with PostgreSQL and Redis, every required check passes; exit 0", async (context) => {
  const { io, stdout, root } = await createTestIo(context, {
    XIONIMUS_DATABASE_URL: "postgres://root@127.0.0.1:5432/test",
    XIONIMUS_REDIS_URL: "redis://127.0.0.1:6379",
  })
  const code = await runCli(["doctor", "--json", "--data-dir", `${root}/data`], io)
  const { ok, checks } = JSON.parse(stdout.text) as { ok: boolean; checks: Check[] }
  const failed = checks.filter((check) => check.status === "fail")
  assert.deepEqual(failed, [])
  assert.equal(ok, true)
  assert.equal(code, 0)
  assert.deepEqual(
    checks.map((check) => check.name),
    [
      "Node.js",
      "configuration",
      "git",
      "bubblewrap",
      "ripgrep",
      "data directory",
      "database",
      "Redis",
      "sandbox",
      "sandbox limits",
      "gVisor",
      "Chromium",
    ],
  )
  assert.match(
    byName(checks, "database").detail,
    /^PostgreSQL postgres:\/\/root@127\.0\.0\.1:5432\/test is reachable/,
  )
})

test("the embedded SQLite database is checked in the data directory", async (context) => {
  const { io, stdout, root } = await createTestIo(context)
  await runCli(["doctor", "--json", "--data-dir", `${root}/data`], io)
  const database = byName((JSON.parse(stdout.text) as { checks: Check[] }).checks, "database")
  assert.deepEqual([database.status, database.detail], ["ok", `SQLite in ${root}/data is reachable`])
})

test("an unreachable PostgreSQL fails the database check with the fix", async (context) => {
  const { io, stdout, root } = await createTestIo(context, {
    XIONIMUS_DATABASE_URL: "postgres://root:pw@127.0.0.1:1/test",
  })
  assert.equal(await runCli(["doctor", "--json", "--data-dir", `${root}/data`], io), 1)
  const database = byName((JSON.parse(stdout.text) as { checks: Check[] }).checks, "database")
  assert.equal(database.status, "fail")
  assert.match(database.detail, /DB_UNREACHABLE/)
  assert.match(database.fix ?? "", /start PostgreSQL/)
  assert.ok(!stdout.text.includes(":pw@"))
})
