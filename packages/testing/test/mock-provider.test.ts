import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { type MockProviderServer, mockScenarioNames, startMockProvider } from "@xionimus/testing"

// biome-ignore lint/suspicious/noExplicitAny: the tests read provider JSON loosely
const json = async (response: Response): Promise<any> => await response.json()

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  })

describe("mock provider server", () => {
  let mock: MockProviderServer
  before(async () => {
    mock = await startMockProvider({ apiKey: "mock-key-123456", models: ["llama3.2"] })
  })
  after(async () => {
    await mock.close()
  })

  test("Ollama's native /api/chat streams NDJSON ending with done and the counts", async () => {
    const response = await post(
      `${mock.baseURLs.ollamaNative}/api/chat`,
      { model: "tool-call" },
      {
        authorization: "Bearer mock-key-123456",
      },
    )
    assert.equal(response.headers.get("content-type"), "application/x-ndjson")
    const lines = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line))
    assert.deepEqual(lines[0].message.tool_calls[0].function, {
      name: "get_weather",
      arguments: { city: "Paris", unit: "c" },
    })
    assert.equal(lines.at(-1).done, true)
    assert.equal(lines.at(-1).prompt_eval_count, 40)
  })

  test("a wrong key gets each provider's auth error", async () => {
    const openai = await post(
      `${mock.baseURLs.openai}/chat/completions`,
      { model: "text" },
      { authorization: "Bearer nope" },
    )
    assert.equal(openai.status, 401)
    assert.equal((await json(openai)).error.code, "invalid_api_key")
    const anthropic = await post(
      `${mock.baseURLs.anthropic}/messages`,
      { model: "text" },
      { "x-api-key": "nope" },
    )
    assert.equal(anthropic.status, 401)
    assert.equal((await json(anthropic)).error.type, "authentication_error")
    const models = await fetch(`${mock.baseURLs.openai}/models`)
    assert.equal(models.status, 401)
  })

  test("list endpoints report configured models and scenarios in each format", async () => {
    const key = { authorization: "Bearer mock-key-123456" }
    const openai = await json(await fetch(`${mock.baseURLs.openai}/models`, { headers: key }))
    assert.deepEqual(
      openai.data.map((model: { id: string }) => model.id),
      ["llama3.2", ...mockScenarioNames],
    )
    const tags = await json(await fetch(`${mock.baseURLs.ollamaNative}/api/tags`, { headers: key }))
    assert.equal(tags.models[0].name, "llama3.2")
    const google = await json(await fetch(`${mock.baseURLs.google}/models?key=mock-key-123456`))
    assert.equal(google.models[0].name, "models/llama3.2")
  })

  test("queued replies go first, in order, and requests are recorded", async () => {
    const before = mock.requests.length
    mock.enqueue({ type: "error", error: "overloaded", retryAfterSeconds: 3 })
    const first = await post(
      `${mock.baseURLs.anthropic}/messages`,
      { model: "text" },
      { "x-api-key": "mock-key-123456" },
    )
    assert.equal(first.status, 529)
    assert.equal(first.headers.get("retry-after"), "3")
    await first.body?.cancel()
    const second = await post(
      `${mock.baseURLs.anthropic}/messages`,
      { model: "text" },
      { "x-api-key": "mock-key-123456" },
    )
    assert.equal(second.status, 200)
    assert.match(await second.text(), /event: message_stop/)
    assert.equal(mock.requests.length - before, 2)
    assert.equal(mock.pending(), 0)
  })

  test("an unknown path answers 404 naming it", async () => {
    const response = await post(`${mock.url}/nowhere`, {})
    assert.equal(response.status, 404)
    assert.match((await json(response)).error.message, /POST \/nowhere/)
  })

  test("close ends a hanging request", async () => {
    const own = await startMockProvider()
    const pending = post(`${own.baseURLs.openai}/chat/completions`, { model: "hang" }).catch(
      (error: Error) => error,
    )
    while (own.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    await own.close()
    assert.ok((await pending) instanceof Error)
  })
})
