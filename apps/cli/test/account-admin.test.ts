import assert from "node:assert/strict"
import { join } from "node:path"
import { Readable } from "node:stream"
import { test } from "node:test"
import { Config } from "@xionimus/config"
import { openAccounts } from "@xionimus/server"
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
