import assert from "node:assert/strict"
import { PassThrough } from "node:stream"
import { describe, it } from "node:test"
import { createLogger } from "../src/logger.ts"

describe("createLogger", () => {
  it("redacts secrets at any depth up to two levels", async () => {
    const destination = new PassThrough()
    const lines: string[] = []
    destination.on("data", (chunk: Buffer) => lines.push(chunk.toString()))
    const logger = createLogger({ destination })
    logger.info({ apiKey: "sk-1", provider: { apiKey: "sk-2" }, config: { db: { password: "pw" } } }, "hello")
    await new Promise((resolve) => setImmediate(resolve))
    const text = lines.join("")
    assert.match(text, /hello/)
    for (const secret of ["sk-1", "sk-2", "pw"])
      assert.ok(!text.includes(secret), `${secret} leaked: ${text}`)
  })
})

describe("pretty format", () => {
  it("writes one readable line per record, secrets still redacted", async () => {
    const destination = new PassThrough()
    const lines: string[] = []
    destination.on("data", (chunk: Buffer) => lines.push(chunk.toString()))
    const logger = createLogger({ destination, format: "pretty" })
    logger.warn({ url: "http://127.0.0.1:4100", password: "pw" }, "server listening")
    await new Promise((resolve) => setImmediate(resolve))
    const text = lines.join("")
    assert.match(
      text,
      /^\d\d:\d\d:\d\d WARN {2}server listening url=http:\/\/127\.0\.0\.1:4100 password=\[redacted\]\n$/,
    )
  })
})
