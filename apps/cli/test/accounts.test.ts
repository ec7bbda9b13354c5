import assert from "node:assert/strict"
import { join } from "node:path"
import { Readable } from "node:stream"
import { test } from "node:test"
import { Config } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import { startServer } from "@xionimus/server"
import { runCli } from "../src/index.ts"
import { createTestIo } from "./helpers.ts"

test("user and api-key: create the owner and a member, issue keys that the server accepts, revoke, disable", async (context) => {
  const { io, stdout, stderr, root } = await createTestIo(context)
  const dataDir = join(root, "data")
  const run = async (argv: string[], stdin?: string) => {
    stdout.text = ""
    stderr.text = ""
    io.stdin = Readable.from(stdin === undefined ? [] : [stdin])
    return runCli([...argv, "--data-dir", dataDir], io)
  }

  assert.equal(await run(["user", "create", "--email", "owner@example.test"]), 1)
  assert.match(stderr.text, /VALIDATION_FAILED: Pass the password on stdin/)

  assert.equal(
    await run(
      ["user", "create", "--email", "Owner@Example.test", "--password-stdin"],
      "correct horse battery staple\n",
    ),
    0,
  )
  assert.match(stdout.text, /^created administrator owner@example\.test \(usr_\w+\)$/m)
  assert.match(stdout.text, /the first user is the owner/)

  assert.equal(
    await run(["user", "create", "--email", "member@example.test", "--password-stdin"], "short\n"),
    1,
  )
  assert.match(stderr.text, /PASSWORD_WEAK/)
  assert.equal(
    await run(
      ["user", "create", "--email", "member@example.test", "--password-stdin"],
      "a long enough passphrase",
    ),
    0,
  )
  assert.match(stdout.text, /^created user member@example\.test/)

  assert.equal(await run(["user", "list"]), 0)
  assert.match(stdout.text, /owner@example\.test {2}\(admin\)/)
  assert.match(stdout.text, /member@example\.test\n/)

  assert.equal(await run(["api-key", "create", "--user", "member@example.test", "--scope", "admin"]), 1)
  assert.match(stderr.text, /FORBIDDEN/)
  assert.equal(await run(["api-key", "create", "--user", "member@example.test", "--scope", "root"]), 1)
  assert.equal(
    await run(["api-key", "create", "--user", "member@example.test", "--scope", "write", "--expires", "0"]),
    1,
  )
  assert.equal(
    await run([
      "api-key",
      "create",
      "--user",
      "member@example.test",
      "--scope",
      "write",
      "--name",
      "ci",
      "--expires",
      "30",
    ]),
    0,
  )
  const lines = stdout.text.trim().split("\n")
  const secret = lines.at(-1)!
  assert.match(secret, /^xk_[A-Za-z0-9_-]{43}$/)
  const keyId = /created API key (key_\w+) "ci"/.exec(stdout.text)?.[1]
  assert.ok(keyId, stdout.text)

  assert.equal(await run(["api-key", "list", "--user", "member@example.test"]), 0)
  assert.ok(!stdout.text.includes(secret), "list never shows the secret")
  assert.match(stdout.text, new RegExp(`${keyId} {2}xk_\\S+… {2}write {2}"ci"`))

  const server = await startServer({
    config: Config.parse({
      dataDir,
      log: { level: "silent" },
      server: { port: 0, webDir: join(root, "web") },
    }),
    logger: silentLogger(),
  })
  try {
    const projects = () =>
      fetch(`${server.url}/api/projects`, { headers: { authorization: `Bearer ${secret}` } }).then(
        (response) => response.status,
      )
    assert.equal(await projects(), 200)
    assert.equal(await run(["user", "disable", "member@example.test"]), 0)
    assert.match(stdout.text, /^disabled member@example\.test/)
    assert.equal(await projects(), 401)
    assert.equal(await run(["user", "enable", "member@example.test"]), 0)
    assert.equal(await projects(), 200)
    assert.equal(await run(["api-key", "revoke", keyId]), 0)
    assert.equal(await projects(), 401)
  } finally {
    await server.close()
  }
  assert.equal(await run(["api-key", "revoke", "key_0190b6f3a2c100AAAAAAAAAAAA"]), 1)
  assert.match(stderr.text, /API_KEY_NOT_FOUND/)
  assert.equal(await run(["user", "disable", "nobody@example.test"]), 1)
  assert.match(stderr.text, /USER_NOT_FOUND/)
})
