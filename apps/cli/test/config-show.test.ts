import assert from "node:assert/strict"
import { join } from "node:path"
import { test } from "node:test"
import { runCli } from "../src/index.ts"
import { createTestIo, projectConfigFile, userConfigFile, writeText } from "./helpers.ts"

function row(output: string, key: string): string[] {
  const line = output.split("\n").find((candidate) => candidate.startsWith(`${key} `))
  assert.ok(line, `a row for ${key}`)
  return line.split(/\s{2,}/)
}

test("config show prints each value with its source, secrets redacted", async (context) => {
  const { io, stdout, stderr, cwd, home } = await createTestIo(context, {
    XIONIMUS_PORT: "4321",
    DATABASE_URL: "postgres://xionimus:hunter2@db.internal:5432/xionimus",
  })
  await writeText(projectConfigFile(cwd), JSON.stringify({ log: { level: "debug" } }))
  assert.equal(await runCli(["config", "show"], io), 0)
  assert.deepEqual(row(stdout.text, "server.port"), ["server.port", "4321", "XIONIMUS_PORT"])
  assert.deepEqual(row(stdout.text, "log.level"), ["log.level", "debug", projectConfigFile(cwd)])
  assert.deepEqual(row(stdout.text, "server.host"), ["server.host", "127.0.0.1", "default"])
  assert.deepEqual(row(stdout.text, "databaseUrl"), [
    "databaseUrl",
    "postgres://xionimus:***@db.internal:5432/xionimus",
    "DATABASE_URL",
  ])
  assert.deepEqual(row(stdout.text, "redisUrl"), ["redisUrl", "(not set)"])
  assert.equal(row(stdout.text, "dataDir")[1], join(home, ".local", "share", "xionimus"))
  assert.ok(!stdout.text.includes("hunter2"))
  assert.equal(stderr.text, "")
})

test("config show --json gives the redacted config, the sources and the files read", async (context) => {
  const { io, stdout, home } = await createTestIo(context, {
    XIONIMUS_REDIS_URL: "redis://:s3cret@cache:6379",
  })
  await writeText(userConfigFile(home), JSON.stringify({ limits: { maxUploadFiles: 9 } }))
  assert.equal(await runCli(["config", "show", "--json", "--data-dir", "/srv/x"], io), 0)
  const output = JSON.parse(stdout.text)
  assert.equal(output.config.redisUrl, "redis://:***@cache:6379")
  assert.equal(output.config.limits.maxUploadFiles, 9)
  assert.equal(output.config.dataDir, "/srv/x")
  assert.equal(output.sources.dataDir, "--data-dir")
  assert.equal(output.sources["limits.maxUploadFiles"], "~/.config/xionimus/config.json")
  assert.deepEqual(output.files, [userConfigFile(home)])
})

test("an invalid configuration: exit 1, `error CONFIG_INVALID` naming the file, key and expected form", async (context) => {
  const { io, stdout, stderr, home } = await createTestIo(context)
  await writeText(userConfigFile(home), '{ "server": { "port": "abc" } }')
  assert.equal(await runCli(["config", "show"], io), 1)
  assert.equal(stdout.text, "")
  assert.match(stderr.text, /^error CONFIG_INVALID: The configuration is invalid \(1 problem\)/)
  assert.ok(
    stderr.text.includes(
      '~/.config/xionimus/config.json: server.port: expected an integer 0–65535, got "abc"',
    ),
    stderr.text,
  )
  assert.ok(!stderr.text.includes("details:"), "the problems are not printed twice")
})

test("unknown XIONIMUS_* variables are printed as warnings and do not fail", async (context) => {
  const { io, stderr } = await createTestIo(context, { XIONIMUS_LOGLEVEL: "debug" })
  assert.equal(await runCli(["config", "show"], io), 0)
  assert.match(
    stderr.text,
    /^warning: XIONIMUS_LOGLEVEL: not a Xionimus setting, ignored; did you mean XIONIMUS_LOG_LEVEL\?/,
  )
})
