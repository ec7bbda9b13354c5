import assert from "node:assert/strict"
import { test } from "node:test"
import { Config, redactConfig, redactSecret } from "../src/index.ts"
import { isSecretPath } from "../src/redact-config.ts"

test("a URL keeps scheme, user, host, port and path; password and query are hidden", () => {
  assert.equal(
    redactSecret("postgres://xionimus:s3cret@db.internal:5432/xionimus?sslmode=require&password=p"),
    "postgres://xionimus:***@db.internal:5432/xionimus?***",
  )
  assert.equal(redactSecret("redis://:s3cret@cache:6379"), "redis://:***@cache:6379")
  assert.equal(redactSecret("rediss://cache.example"), "rediss://cache.example")
  assert.equal(redactSecret("postgresql://root@127.0.0.1/test"), "postgresql://root@127.0.0.1/test")
})

test("a secret that is not a URL with a host is hidden whole", () => {
  assert.equal(redactSecret("s3cret"), "***")
  assert.equal(redactSecret("mailto:s3cret"), "***")
})

test("redactConfig redacts every secret path and leaves the original alone", () => {
  const config = Config.parse({
    databaseUrl: "postgres://u:p4ss@db/x",
    redisUrl: "redis://:p4ss@cache",
    server: { port: 1 },
  })
  const redacted = redactConfig(config)
  assert.equal(redacted.databaseUrl, "postgres://u:***@db/x")
  assert.equal(redacted.redisUrl, "redis://:***@cache")
  assert.equal(redacted.server.port, 1)
  assert.equal(config.databaseUrl, "postgres://u:p4ss@db/x")
  assert.ok(!JSON.stringify(redacted).includes("p4ss"))
})

test("redactConfig with no secrets set changes nothing", () => {
  const config = Config.parse({})
  assert.deepEqual(redactConfig(config), config)
})

test("sign-in providers' client secrets are redacted; ids and client ids stay", () => {
  const config = Config.parse({
    auth: {
      oidc: [
        { id: "google", clientId: "google-client", clientSecret: "g00gle-secret" },
        { id: "github", clientId: "gh-client", clientSecret: "gh-s3cret" },
      ],
    },
  })
  const redacted = redactConfig(config)
  assert.deepEqual(
    redacted.auth.oidc.map((provider) => [provider.id, provider.clientId, provider.clientSecret]),
    [
      ["google", "google-client", "***"],
      ["github", "gh-client", "***"],
    ],
  )
  assert.ok(!JSON.stringify(redacted).includes("s3cret") && !JSON.stringify(redacted).includes("g00gle"))
  assert.ok(isSecretPath("auth.oidc.1.clientSecret"))
})

test("an OIDC provider without an issuer is refused unless it is a preset", () => {
  assert.equal(
    Config.safeParse({ auth: { oidc: [{ id: "corp", clientId: "a", clientSecret: "b" }] } }).success,
    false,
  )
  assert.equal(
    Config.safeParse({
      auth: { oidc: [{ id: "corp", issuer: "https://id.example", clientId: "a", clientSecret: "b" }] },
    }).success,
    true,
  )
})
