import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { createProviderRegistry, createSdkModelPort, type ModelPort } from "@xionimus/llm"
import { type MockProviderServer, startMockProvider, waitFor } from "@xionimus/testing"

describe("a call releases its connection however it ends", () => {
  let mock: MockProviderServer
  let port: ModelPort
  /** The same with a short idle timeout, for the stall (elsewhere a loaded machine's slow first part must not trip it). */
  let impatient: ModelPort
  before(async () => {
    mock = await startMockProvider()
    const portWith = (idleTimeoutMs: number) =>
      createSdkModelPort({
        registry: createProviderRegistry({
          providers: {
            anthropic: { type: "anthropic", baseURL: mock.baseURLs.anthropic, apiKey: "sk-release-test" },
          },
        }),
        idleTimeoutMs,
      })
    port = portWith(30_000)
    impatient = portWith(400)
  })
  after(async () => {
    await mock.close()
  })

  const long = {
    type: "stream" as const,
    blocks: [{ type: "text" as const, chunks: Array.from({ length: 200 }, () => "word ") }],
    delayMs: 20,
  }
  const request = {
    model: "anthropic/claude-sonnet-4-5",
    messages: [{ role: "user" as const, content: "hi" }],
  }

  test("the consumer stops reading after the first part", async () => {
    mock.enqueue(long)
    for await (const part of port.stream(request)) {
      assert.equal(part.type, "text-delta")
      break
    }
    await waitFor(() => mock.open() === 0, "the mock to see the connection closed")
  })

  test("the caller aborts", async () => {
    mock.enqueue(long)
    const controller = new AbortController()
    const parts: string[] = []
    for await (const part of port.stream({ ...request, signal: controller.signal })) {
      parts.push(part.type)
      if (parts.length === 2) controller.abort()
    }
    assert.equal(parts.at(-1), "error")
    await waitFor(() => mock.open() === 0, "the mock to see the connection closed")
  })

  test("the provider stalls mid-stream and the idle timeout cuts it", async () => {
    mock.enqueue({ ...long, delayMs: 0, stallAfter: 5 })
    const parts: string[] = []
    for await (const part of impatient.stream(request)) parts.push(part.type)
    assert.equal(parts.at(-1), "error")
    await waitFor(() => mock.open() === 0, "the mock to see the connection closed")
  })
})
