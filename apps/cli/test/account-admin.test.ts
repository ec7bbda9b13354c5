import assert from "node:assert/strict"
import { join } from "node:path"
import { Readable } from "node:stream"
import { test } from "node:test"
import { Config } from "@xionimus/config"
import { openAccounts } from "@xionimus/server"
import { userListCommand } from "../src/commands/user.ts"
import { runCli } from "../src/index.ts"
import { createTestIo } from "./helpers.ts"

test("quota show: a user's and a team's usage against the configured quotas", async (context) => {
  const { io, stdout, stderr, root } = await createTestIo(context, {
    XIONIMUS_QUOTAS__USER__MODEL_USD_PER_DAY: "2",
    XIONIMUS_QUOTAS__TEAM__STORAGE_BYTES: "1000000",
  })
  const dataDir = join(root, "data")
  const run = async (argv: string[], stdin?: string) => {
    stdout.text = ""
    stderr.text = ""
    io.stdin = Readable.from(stdin === undefined ? [] : [stdin])
    return runCli([...argv, "--data-dir", dataDir], io)
  }
  assert.equal(
    await run(
      ["user", "create", "--email", "owner@example.test", "--password-stdin"],
      "correct horse battery staple",
    ),
    0,
  )
  const accounts = await openAccounts(Config.parse({ dataDir }))
  const user = await accounts.auth.findUserByEmail("owner@example.test")
  const teamId = (await accounts.teams.listTeams(user.id))[0]!.id
  await accounts.store.usage.record({
    time: new Date().toISOString(),
    provider: "openai",
    model: "gpt-4o",
    userId: user.id,
    inputTokens: 1,
    outputTokens: 1,
    cachedInputTokens: 0,
    reasoningTokens: 0,
    costUsd: 2.5,
    latencyMs: 1,
    outcome: "ok",
  })
  await accounts.close()

  assert.equal(await run(["quota", "show", "--user", "owner@example.test"]), 0)
  assert.match(stdout.text, /^modelUsdPerDay +\$2\.5000 of \$2\.0000 {2}USED UP {2}\(resets /m)
  assert.match(stdout.text, /^modelUsdPerMonth +\$2\.5000 of unlimited/m)
  assert.equal(await run(["quota", "show", "--team", teamId, "--json"]), 0)
  const report = JSON.parse(stdout.text) as {
    scope: string
    quotas: { name: string; limit: number | null }[]
  }
  assert.equal(report.scope, "team")
  assert.equal(report.quotas.find((quota) => quota.name === "storageBytes")?.limit, 1_000_000)
  assert.equal(await run(["quota", "show"]), 1)
  assert.match(stderr.text, /VALIDATION_FAILED: Give exactly one of --user/)
})

test("secrets rotate and status: a new current key, stored secrets re-encrypted, the old key retiring", async (context) => {
  const { io, stdout, stderr, root } = await createTestIo(context)
  const dataDir = join(root, "data")
  const run = async (argv: string[]) => {
    stdout.text = ""
    stderr.text = ""
    io.stdin = Readable.from([])
    return runCli([...argv, "--data-dir", dataDir], io)
  }
  const accounts = await openAccounts(Config.parse({ dataDir }))
  const user = await accounts.auth.createUser(
    { email: "owner@example.test", password: "correct horse battery staple", admin: true },
    { userId: null, keyId: null, ip: null, userAgent: null },
  )
  await accounts.store.providerSettings.put({
    ownerKind: "user",
    ownerId: user.id,
    providerId: "openai",
    type: "openai",
    settings: {},
    key: { ciphertext: accounts.secrets.seal("sk-cli-rotation", `user:${user.id}:openai`), hint: "…tion" },
  })
  const firstKey = accounts.secrets.currentKeyId()
  await accounts.close()

  assert.equal(await run(["secrets", "rotate", "--grace", "soon"]), 1)
  assert.match(stderr.text, /VALIDATION_FAILED: --grace takes a duration/)
  assert.equal(await run(["secrets", "rotate", "--grace", "2h"]), 0)
  const newKey = /^new secrets key ([0-9a-f]{12}) is current$/m.exec(stdout.text)?.[1]
  assert.ok(newKey && newKey !== firstKey, stdout.text)
  assert.match(stdout.text, new RegExp(`^key ${firstKey} retires at `, "m"))
  assert.match(stdout.text, /^re-encrypted 1 stored secrets/m)
  assert.equal(await run(["secrets", "status"]), 0)
  assert.match(stdout.text, new RegExp(`^${newKey} {2}current$`, "m"))
  assert.match(stdout.text, new RegExp(`^${firstKey} {2}retires `, "m"))

  const reopened = await openAccounts(Config.parse({ dataDir }))
  try {
    const setting = await reopened.store.providerSettings.get("user", user.id, "openai")
    assert.ok(setting?.keyCiphertext?.startsWith(`v1:${newKey}:`))
    assert.equal(reopened.secrets.open(setting!.keyCiphertext!, `user:${user.id}:openai`), "sk-cli-rotation")
  } finally {
    await reopened.close()
  }
})

test("user delete: needs --yes, deletes the account, refuses the last administrator", async (context) => {
  const { io, stdout, stderr, root } = await createTestIo(context)
  const dataDir = join(root, "data")
  const run = async (argv: string[], stdin?: string) => {
    stdout.text = ""
    stderr.text = ""
    io.stdin = Readable.from(stdin === undefined ? [] : [stdin])
    return runCli([...argv, "--data-dir", dataDir], io)
  }
  const passphrase = "a long enough passphrase"
  assert.equal(
    await run(["user", "create", "--email", "owner@example.test", "--password-stdin"], passphrase),
    0,
  )
  assert.equal(
    await run(["user", "create", "--email", "leaving@example.test", "--password-stdin"], passphrase),
    0,
  )
  assert.equal(await run(["user", "delete", "leaving@example.test"]), 1)
  assert.match(stderr.text, /VALIDATION_FAILED: Deleting leaving@example\.test cannot be undone/)
  assert.equal(await run(["user", "delete", "leaving@example.test", "--yes"]), 0)
  assert.match(
    stdout.text,
    /^deleted leaving@example\.test \(usr_\w+\): 0 sessions deleted, 0 handed over, 0 projects deleted$/m,
  )
  assert.equal(await run(["user", "list"]), 0)
  assert.doesNotMatch(stdout.text, /leaving@example\.test/)
  assert.equal(await run(["user", "delete", "owner@example.test", "--yes"]), 1)
  assert.match(stderr.text, /LAST_ADMIN/)
})

test("user list: every user by e-mail address, read a page at a time, the same whatever the page size", async (context) => {
  const { io, stdout, stderr, root } = await createTestIo(context)
  const dataDir = join(root, "data")
  const run = async (argv: string[], stdin?: string) => {
    stdout.text = ""
    stderr.text = ""
    io.stdin = Readable.from(stdin === undefined ? [] : [stdin])
    return runCli([...argv, "--data-dir", dataDir], io)
  }
  assert.equal(await run(["user", "list"]), 0)
  assert.match(stdout.text, /^no users yet/)
  const passphrase = "a long enough passphrase"
  for (const email of ["sierra@example.test", "alfa@example.test", "tango@example.test", "mike@example.test"])
    assert.equal(await run(["user", "create", "--email", email, "--password-stdin"], passphrase), 0)
  assert.equal(await run(["user", "disable", "tango@example.test"]), 0)

  assert.equal(await run(["user", "list"]), 0)
  const whole = stdout.text
  const emails = [...whole.matchAll(/^usr_\w+ {2}(\S+)/gm)].map((match) => match[1])
  assert.deepEqual(emails, [
    "alfa@example.test",
    "mike@example.test",
    "sierra@example.test",
    "tango@example.test",
  ])
  assert.match(whole, /sierra@example\.test {2}\(admin\)/, "the first user is the owner")
  assert.match(whole, /tango@example\.test {2}\(disabled /)
  for (const pageSize of [1, 3]) {
    stdout.text = ""
    assert.equal(await userListCommand({ dataDir, pageSize }, io), 0)
    assert.equal(stdout.text, whole, `pages of ${pageSize}`)
  }
  stdout.text = ""
  assert.equal(await userListCommand({ dataDir, pageSize: 3, json: true }, io), 0)
  const listed = JSON.parse(stdout.text) as { email: string; passwordHash?: string }[]
  assert.deepEqual(
    listed.map((user) => user.email),
    emails,
  )
  assert.ok(listed.every((user) => user.passwordHash === undefined))
})
