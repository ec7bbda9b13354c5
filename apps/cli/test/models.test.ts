import assert from "node:assert/strict"
import { test } from "node:test"
import { startMockProvider } from "@xionimus/testing"
import { runCli } from "../src/index.ts"
import { createTestIo } from "./helpers.ts"

test("`models` lists the configured models with context size and prices", async (context) => {
  const { io, stdout } = await createTestIo(context, { ANTHROPIC_API_KEY: "sk-ant-cli-test-key-0000" })
  assert.equal(await runCli(["models"], io), 0)
  assert.match(
    stdout.text,
    /anthropic\/claude-sonnet-4-5\s+200k\s+64k\s+\$3\.00\s+\$15\.00\s+\$0\.300\s+tools,vision,reasoning/,
  )
  assert.ok(!stdout.text.includes("sk-ant-cli-test-key"))
})

test("`models` with no provider says how to add one", async (context) => {
  const { io, stdout } = await createTestIo(context)
  assert.equal(await runCli(["models"], io), 0)
  assert.match(stdout.text, /No model provider is configured\. Set OPENAI_API_KEY/)
})

test("`models test <provider>` lists the endpoint's models, or fails naming the reason", async (context) => {
  const mock = await startMockProvider({ apiKey: "sk-cli-right-key-1234" })
  context.after(() => mock.close())
  const good = await createTestIo(context, {
    OPENAI_API_KEY: "sk-cli-right-key-1234",
    OPENAI_BASE_URL: mock.baseURLs.openai,
  })
  assert.equal(await runCli(["models", "test", "openai"], good.io), 0, good.stderr.text)
  assert.match(good.stdout.text, /openai: ok/)
  assert.match(good.stdout.text, /tool-call/)
  const bad = await createTestIo(context, {
    OPENAI_API_KEY: "sk-cli-wrong-key-9999",
    OPENAI_BASE_URL: mock.baseURLs.openai,
  })
  assert.equal(await runCli(["models", "test", "openai"], bad.io), 1)
  assert.match(bad.stderr.text, /openai: auth: openai rejected the API key/)
  assert.ok(!bad.stderr.text.includes("sk-cli-wrong-key-9999"))
  const missing = await createTestIo(context)
  assert.equal(await runCli(["models", "test", "nope"], missing.io), 1)
  assert.match(missing.stderr.text, /error PROVIDER_NOT_FOUND/)
})

test("`usage` prints totals from the database (none yet)", async (context) => {
  const { io, stdout } = await createTestIo(context)
  assert.equal(await runCli(["usage", "--by", "day", "--json"], io), 0)
  const report = JSON.parse(stdout.text)
  assert.equal(report.totals.calls, 0)
  assert.deepEqual(report.groups, [])
})
