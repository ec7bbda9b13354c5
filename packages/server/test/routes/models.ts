import assert from "node:assert/strict"
import { readFile, stat } from "node:fs/promises"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { join } from "node:path"
import { Writable } from "node:stream"
import { after, before, describe, test } from "node:test"
import { type MockProviderServer, startMockProvider } from "@xionimus/testing"
import { expectError } from "../support/expect-error.ts"
import { createKey, createUser, signIn } from "../support/sign-in.ts"
import { createTeamFixture } from "../support/team-fixture.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

const configKey = "sk-config-key-never-shown-1111"
const storedKey = "gsk-stored-key-never-shown-2222"

export function modelTests(): void {
  describe("models, providers and usage", () => {
    let mock: MockProviderServer
    let harness: TestApp
    const logLines: string[] = []
    before(async () => {
      const closed = createServer()
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve))
      const closedPort = (closed.address() as AddressInfo).port
      await new Promise((resolve) => closed.close(resolve))
      mock = await startMockProvider({ apiKey: storedKey })
      harness = await createTestApp({
        logDestination: new Writable({
          write(chunk, _encoding, done) {
            logLines.push(String(chunk))
            done()
          },
        }),
        config: {
          providers: {
            openai: { type: "openai", api: "chat", baseURL: mock.baseURLs.openai, apiKey: configKey },
            local: {
              type: "openai-compatible",
              baseURL: `http://127.0.0.1:${closedPort}/v1`,
              models: ["qwen2.5-coder"],
            },
          },
          models: {
            default: "openai/gpt-4o",
            budgets: [{ scope: "project", id: "prj_spent", period: "total", limitUsd: 0 }],
          },
        },
      })
    })
    after(async () => {
      await harness.close()
      await mock.close()
    })

    test("GET /api/models lists configured models with window, prices and capabilities", async () => {
      const response = await harness.app.inject({ method: "GET", url: "/api/models" })
      assert.equal(response.statusCode, 200, response.body)
      const { models, catalogCompiled } = response.json()
      assert.match(catalogCompiled, /^\d{4}-/)
      const gpt = models.find((model: { name: string }) => model.name === "openai/gpt-4o")
      assert.equal(gpt.contextWindow, 128_000)
      assert.deepEqual(gpt.prices, { input: 2.5, output: 10, cachedInput: 1.25 })
      assert.ok(models.some((model: { name: string }) => model.name === "local/qwen2.5-coder"))
      assert.equal(response.json().default, "openai/gpt-4o", "what a session without a model uses")
    })

    test("POST /api/models/test says exactly why a provider fails", async () => {
      const rejected = await harness.app.inject({
        method: "POST",
        url: "/api/models/test",
        payload: { provider: "openai" },
      })
      assert.equal(rejected.statusCode, 200)
      assert.equal(rejected.json().ok, false)
      assert.equal(rejected.json().error.reason, "auth")
      const refused = await harness.app.inject({
        method: "POST",
        url: "/api/models/test",
        payload: { provider: "local" },
      })
      assert.equal(refused.json().error.reason, "transport")
      assert.match(refused.json().error.message, /ECONNREFUSED/)
      const unknown = await harness.app.inject({
        method: "POST",
        url: "/api/models/test",
        payload: { provider: "nope" },
      })
      expectError(unknown, 404, "PROVIDER_NOT_FOUND")
    })

    test("a stored provider key is encrypted at rest, never returned, and used for calls", async () => {
      const put = await harness.app.inject({
        method: "PUT",
        url: "/api/providers/groq",
        payload: {
          type: "openai-compatible",
          preset: "groq",
          baseURL: mock.baseURLs.compatible,
          apiKey: storedKey,
        },
      })
      assert.equal(put.statusCode, 200, put.body)
      assert.equal(put.json().keyHint, "…2222")
      const keyFile = await stat(join(harness.dataDir, "secret.key"))
      assert.equal(keyFile.mode & 0o777, 0o600)
      const listed = await harness.app.inject({ method: "GET", url: "/api/providers" })
      assert.deepEqual(
        listed.json().items.map((item: { providerId: string }) => item.providerId),
        ["groq"],
      )
      const tested = await harness.app.inject({
        method: "POST",
        url: "/api/models/test",
        payload: { provider: "groq" },
      })
      assert.equal(tested.json().ok, true, tested.body)
      assert.ok(tested.json().models.includes("text"))
      // Updating without a key keeps the stored one.
      const kept = await harness.app.inject({
        method: "PUT",
        url: "/api/providers/groq",
        payload: { type: "openai-compatible", preset: "groq", baseURL: mock.baseURLs.compatible },
      })
      assert.equal(kept.json().keyHint, "…2222")
      const database = await readFile(join(harness.dataDir, "xionimus.db"))
      assert.ok(!database.includes(storedKey), "the key is stored in plain text")
      for (const response of [put, listed, tested, kept]) assert.ok(!response.body.includes(storedKey))
    })

    test("usage: every call is recorded; you see yours, only admins see others'", async () => {
      const owner = (await harness.services.auth.listUsers()).find((user) => user.admin)!
      const router = await harness.services.llm.routerFor(owner.id)
      for await (const part of router.stream({
        model: "groq/text",
        messages: [{ role: "user", content: "hi" }],
        scope: { userId: owner.id, projectId: "prj_test" },
      }))
        void part
      await harness.services.llm.close()
      const usage = await harness.app.inject({ method: "GET", url: "/api/usage?groupBy=model" })
      assert.equal(usage.statusCode, 200, usage.body)
      assert.equal(usage.json().totals.calls, 1)
      assert.equal(usage.json().totals.inputTokens, 21)
      assert.deepEqual(
        usage.json().groups.map((group: { key: string }) => group.key),
        ["groq/text"],
      )
      await createUser(harness.app, "member@example.test")
      const session = await signIn(harness.app, "member@example.test", "a long enough passphrase")
      const { secret } = await createKey(harness.app, session, "read")
      const member = { authorization: `Bearer ${secret}` }
      const own = await harness.app.inject({ method: "GET", url: "/api/usage", headers: member })
      assert.equal(own.json().totals.calls, 0)
      const others = await harness.app.inject({
        method: "GET",
        url: `/api/usage?userId=${owner.id}`,
        headers: member,
      })
      expectError(others, 403, "FORBIDDEN")
    })

    test("the budget check the agent asks before a call", async () => {
      const spent = await harness.services.llm.checkBudget({ projectId: "prj_spent" })
      assert.equal(spent.allowed, false)
      assert.match(spent.message ?? "", /project budget of \$0\.00 in total is spent/)
      assert.equal((await harness.services.llm.checkBudget({ projectId: "prj_other" })).allowed, true)
    })

    test("PUT /api/providers refuses an unknown preset and a compatible provider without an address", async () => {
      const preset = await harness.app.inject({
        method: "PUT",
        url: "/api/providers/x",
        payload: { type: "openai-compatible", preset: "nonesuch" },
      })
      expectError(preset, 400, "VALIDATION_FAILED")
      assert.match(preset.json().error.message, /the presets are ollama, lmstudio/)
      const bare = await harness.app.inject({
        method: "PUT",
        url: "/api/providers/x",
        payload: { type: "openai-compatible" },
      })
      expectError(bare, 400, "VALIDATION_FAILED")
    })

    test("team provider settings: owners store them, members use them, others do not see them", async () => {
      const team = await createTeamFixture(harness, "providers")
      const url = `/api/teams/${team.teamId}/providers/shared`
      const payload = { type: "openai-compatible", baseURL: mock.baseURLs.compatible, apiKey: storedKey }
      const byEditor = await harness.app.inject({ method: "PUT", url, headers: team.editor.headers, payload })
      expectError(byEditor, 403, "FORBIDDEN")
      const byOwner = await harness.app.inject({ method: "PUT", url, headers: team.owner.headers, payload })
      assert.equal(byOwner.statusCode, 200, byOwner.body)
      assert.equal(byOwner.json().ownerKind, "team")
      const listed = await harness.app.inject({
        method: "GET",
        url: `/api/teams/${team.teamId}/providers`,
        headers: team.viewer.headers,
      })
      assert.deepEqual(
        listed
          .json()
          .items.map((item: { providerId: string; keyHint: string }) => [item.providerId, item.keyHint]),
        [["shared", "…2222"]],
      )
      const test = (headers: Record<string, string>) =>
        harness.app.inject({
          method: "POST",
          url: "/api/models/test",
          headers,
          payload: { provider: "shared" },
        })
      const byMember = await test(team.editor.headers)
      assert.equal(byMember.json().ok, true, byMember.body)
      expectError(await test(team.stranger.headers), 404, "PROVIDER_NOT_FOUND")
      for (const response of [byOwner, listed, byMember]) assert.ok(!response.body.includes(storedKey))
      const removed = await harness.app.inject({ method: "DELETE", url, headers: team.owner.headers })
      assert.equal(removed.statusCode, 204)
    })

    test("DELETE /api/providers/:providerId removes it; a second time is PROVIDER_NOT_FOUND", async () => {
      const removed = await harness.app.inject({ method: "DELETE", url: "/api/providers/groq" })
      assert.equal(removed.statusCode, 204)
      expectError(
        await harness.app.inject({ method: "DELETE", url: "/api/providers/groq" }),
        404,
        "PROVIDER_NOT_FOUND",
      )
    })

    test("no key reached a log line", () => {
      for (const line of logLines) {
        assert.ok(!line.includes(storedKey), line)
        assert.ok(!line.includes(configKey), line)
      }
    })
  })
}
