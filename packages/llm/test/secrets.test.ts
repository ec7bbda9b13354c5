import assert from "node:assert/strict"
import { Writable } from "node:stream"
import { after, before, describe, test } from "node:test"
import { createLogger } from "@xionimus/kit"
import {
  createProviderRegistry,
  createSdkModelPort,
  keyHint,
  type ModelPart,
  normaliseError,
  redactSecrets,
} from "@xionimus/llm"
import { type MockProviderServer, startMockProvider } from "@xionimus/testing"

const key = "sk-live-never-show-this-0123456789abcd"

describe("a provider key never leaves in errors or logs", () => {
  let mock: MockProviderServer
  before(async () => {
    mock = await startMockProvider({ apiKey: "the-right-key-9876" })
  })
  after(async () => {
    await mock.close()
  })

  test("a rejected key: the error and every log line hold no trace of it beyond the last 4", async () => {
    const lines: string[] = []
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk))
        done()
      },
    })
    const logger = createLogger({ level: "trace", destination })
    for (const [type, baseURL] of [
      ["openai", mock.baseURLs.openai],
      ["anthropic", mock.baseURLs.anthropic],
      ["google", mock.baseURLs.google],
    ] as const) {
      const registry = createProviderRegistry({ providers: { p: { type, baseURL, apiKey: key } } })
      const parts: ModelPart[] = []
      for await (const part of createSdkModelPort({ registry, logger }).stream({
        model: "p/text",
        messages: [{ role: "user", content: `my key is ${key}` }],
      }))
        parts.push(part)
      const last = parts.at(-1)
      assert.equal(last?.type === "error" && last.error.reason, "auth")
      const error = (last as Extract<ModelPart, { type: "error" }>).error
      for (const text of [error.message, JSON.stringify(error), String(error.stack)])
        assert.ok(!text.includes(key), `${type}: the key is in ${text}`)
    }
    assert.ok(lines.length > 0)
    for (const line of lines) assert.ok(!line.includes(key), `the key is in the log line ${line}`)
  })

  test("a provider message echoing the key is redacted", () => {
    const error = normaliseError(
      {
        statusCode: 401,
        responseBody: JSON.stringify({ error: { message: `Incorrect API key provided: ${key}` } }),
      },
      { provider: "openai", model: "gpt-4o", secrets: [key] },
    )
    assert.ok(!error.message.includes(key))
    assert.match(error.message, /\[redacted …abcd\]/)
    assert.equal(redactSecrets(`a ${key} b`, [key]), "a [redacted …abcd] b")
    assert.equal(keyHint(key), "…abcd")
  })
})
