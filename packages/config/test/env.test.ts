import assert from "node:assert/strict"
import { test } from "node:test"
import { AppError } from "@xionimus/kit"
import { type ConfigProblem, configLeaves, envName, loadConfig } from "../src/index.ts"
import { makeSandbox } from "./helpers.ts"

async function fromEnv(context: test.TestContext, variables: Record<string, string>) {
  const { home, cwd } = await makeSandbox(context)
  return loadConfig({ cwd, env: { HOME: home, ...variables } })
}

test("the named variables set their keys", async (context) => {
  const loaded = await fromEnv(context, {
    XIONIMUS_HOST: "0.0.0.0",
    XIONIMUS_PORT: "4500",
    XIONIMUS_DATA_DIR: "/var/lib/xionimus",
    XIONIMUS_LOG_LEVEL: "warn",
    XIONIMUS_DATABASE_URL: "postgres://root@127.0.0.1:5432/test",
    XIONIMUS_REDIS_URL: "redis://127.0.0.1:6379",
  })
  assert.equal(loaded.config.server.host, "0.0.0.0")
  assert.equal(loaded.config.server.port, 4500)
  assert.equal(loaded.config.dataDir, "/var/lib/xionimus")
  assert.equal(loaded.config.log.level, "warn")
  assert.equal(loaded.config.databaseUrl, "postgres://root@127.0.0.1:5432/test")
  assert.equal(loaded.config.redisUrl, "redis://127.0.0.1:6379")
  assert.equal(loaded.sources["server.port"], "XIONIMUS_PORT")
  assert.deepEqual(loaded.warnings, [])
})

test("DATABASE_URL and REDIS_URL work, and their XIONIMUS_ forms win over them", async (context) => {
  const conventional = await fromEnv(context, {
    DATABASE_URL: "postgresql://a@db/one",
    REDIS_URL: "rediss://cache:6380",
  })
  assert.equal(conventional.config.databaseUrl, "postgresql://a@db/one")
  assert.equal(conventional.config.redisUrl, "rediss://cache:6380")
  assert.equal(conventional.sources.databaseUrl, "DATABASE_URL")

  const both = await fromEnv(context, {
    DATABASE_URL: "mysql://not-ours",
    XIONIMUS_DATABASE_URL: "postgres://a@db/two",
    REDIS_URL: "redis://one",
    XIONIMUS_REDIS_URL: "redis://two",
  })
  assert.equal(both.config.databaseUrl, "postgres://a@db/two")
  assert.equal(both.config.redisUrl, "redis://two")
  assert.equal(both.sources.databaseUrl, "XIONIMUS_DATABASE_URL")
})

test("the generic XIONIMUS_<SECTION>__<KEY> form reaches every key, coerced to the schema's type", async (context) => {
  const loaded = await fromEnv(context, {
    XIONIMUS_LIMITS__MAX_FILE_BYTES: "1048576",
    XIONIMUS_SERVER__BODY_LIMIT_BYTES: " 4096 ",
    XIONIMUS_PROJECTS__PURGE_AFTER_DAYS: "0",
    XIONIMUS_SERVER__WEB_DIR: "/opt/web",
  })
  assert.equal(loaded.config.limits.maxFileBytes, 1048576)
  assert.equal(loaded.config.server.bodyLimitBytes, 4096)
  assert.equal(loaded.config.projects.purgeAfterDays, 0)
  assert.equal(loaded.config.server.webDir, "/opt/web")
  assert.equal(loaded.sources["limits.maxFileBytes"], "XIONIMUS_LIMITS__MAX_FILE_BYTES")
})

test("every key of the schema has a generic variable", () => {
  const names = configLeaves.map((leaf) => envName(leaf))
  assert.ok(names.includes("XIONIMUS_LIMITS__MAX_FILE_BYTES"))
  assert.ok(names.includes("XIONIMUS_DATA_DIR"))
  assert.ok(names.includes("XIONIMUS_SERVER__SHUTDOWN_TIMEOUT_MS"))
  assert.equal(new Set(names).size, configLeaves.length)
})

test("empty variables count as unset", async (context) => {
  const loaded = await fromEnv(context, { XIONIMUS_PORT: "", DATABASE_URL: "" })
  assert.equal(loaded.config.server.port, 4100)
  assert.equal(loaded.config.databaseUrl, undefined)
})

test("unknown XIONIMUS_* variables are warnings with a suggestion, not errors", async (context) => {
  const loaded = await fromEnv(context, { XIONIMUS_PROT: "1", XIONIMUS_SOMETHING_ELSE: "x", OTHER: "y" })
  assert.equal(loaded.config.server.port, 4100)
  assert.deepEqual(
    loaded.warnings.map((warning) => warning.source),
    ["XIONIMUS_PROT", "XIONIMUS_SOMETHING_ELSE"],
  )
  assert.match(loaded.warnings[0]!.message, /did you mean XIONIMUS_PORT\?/)
})

test("a shortcut and its generic form with different values is an error naming both", async (context) => {
  const error = await fromEnv(context, { XIONIMUS_PORT: "1", XIONIMUS_SERVER__PORT: "2" }).catch(
    (caught) => caught,
  )
  assert.ok(error instanceof AppError)
  assert.equal(error.code, "CONFIG_INVALID")
  const [problem] = (error.details as { problems: ConfigProblem[] }).problems
  assert.equal(problem?.path, "server.port")
  assert.match(problem?.source ?? "", /XIONIMUS_PORT/)
  assert.match(problem?.source ?? "", /XIONIMUS_SERVER__PORT/)

  const same = await fromEnv(context, { XIONIMUS_PORT: "3", XIONIMUS_SERVER__PORT: "3" })
  assert.equal(same.config.server.port, 3)
})

test("lists and maps come from the environment as JSON; text that is not JSON is reported", async (context) => {
  const loaded = await fromEnv(context, {
    XIONIMUS_AUTH__OIDC: '[{"id":"github","clientId":"gh","clientSecret":"s3cret"}]',
    XIONIMUS_SERVER__TRUSTED_PROXIES: '["10.0.0.1", "10.0.1.0/24"]',
  })
  assert.deepEqual(loaded.config.auth.oidc, [{ id: "github", clientId: "gh", clientSecret: "s3cret" }])
  assert.deepEqual(loaded.config.server.trustedProxies, ["10.0.0.1", "10.0.1.0/24"])
  await assert.rejects(fromEnv(context, { XIONIMUS_SERVER__TRUSTED_PROXIES: "[10.0.0.1" }), {
    code: "CONFIG_INVALID",
  })
})
