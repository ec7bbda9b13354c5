import assert from "node:assert/strict"
import { Readable } from "node:stream"
import { describe, test } from "node:test"
import { brotliDecompressSync, gunzipSync } from "node:zlib"
import Fastify from "fastify"
import { chooseEncoding, registerResponseCompression } from "../src/response-compression.ts"

describe("response compression", () => {
  test("chooses brotli, else gzip, from Accept-Encoding; q=0 refuses; * takes both", () => {
    assert.equal(chooseEncoding("gzip, deflate, br"), "br")
    assert.equal(chooseEncoding("gzip, deflate, br, zstd"), "br")
    assert.equal(chooseEncoding("gzip"), "gzip")
    assert.equal(chooseEncoding("br;q=0, gzip;q=0.5"), "gzip")
    assert.equal(chooseEncoding("BR ; Q=1"), "br")
    assert.equal(chooseEncoding("*"), "br")
    assert.equal(chooseEncoding("*;q=0, gzip"), "gzip")
    assert.equal(chooseEncoding("identity"), undefined)
    assert.equal(chooseEncoding("br;q=0, gzip;q=0"), undefined)
    assert.equal(chooseEncoding("gzip;q=nonsense"), undefined)
    assert.equal(chooseEncoding(""), undefined)
    assert.equal(chooseEncoding(undefined), undefined)
  })

  const rows = Array.from({ length: 300 }, (_, index) => ({ seq: index, type: "assistant.text", text: "hi" }))
  const big = JSON.stringify({ items: rows })

  async function app() {
    const server = Fastify()
    registerResponseCompression(server)
    server.get("/json", async () => ({ items: rows }))
    server.get("/small", async () => ({ ok: true }))
    server.get("/events", async (_request, reply) => reply.type("text/event-stream").send(`data: ${big}\n\n`))
    server.get("/stream", async (_request, reply) =>
      reply.type("application/json").send(Readable.from([big])),
    )
    server.get("/zip", async (_request, reply) => reply.type("application/zip").send(Buffer.from(big)))
    server.get("/encoded", async (_request, reply) =>
      reply.type("application/json").header("content-encoding", "identity").send(big),
    )
    await server.ready()
    return server
  }

  test("JSON of 1 KiB and more goes brotli or gzip, the content-length of the encoded body, Vary set", async () => {
    const server = await app()
    try {
      const br = await server.inject({ url: "/json", headers: { "accept-encoding": "gzip, deflate, br" } })
      assert.equal(br.headers["content-encoding"], "br")
      assert.match(String(br.headers.vary), /Accept-Encoding/)
      assert.equal(Number(br.headers["content-length"]), br.rawPayload.length)
      assert.ok(br.rawPayload.length < big.length / 5, `${br.rawPayload.length} of ${big.length} bytes`)
      assert.equal(brotliDecompressSync(br.rawPayload).toString(), big)
      const gz = await server.inject({ url: "/json", headers: { "accept-encoding": "gzip" } })
      assert.equal(gz.headers["content-encoding"], "gzip")
      assert.equal(gunzipSync(gz.rawPayload).toString(), big)
      const plain = await server.inject({ url: "/json" })
      assert.equal(plain.headers["content-encoding"], undefined)
      assert.match(String(plain.headers.vary), /Accept-Encoding/)
      assert.equal(plain.body, big)
      const head = await server.inject({ method: "HEAD", url: "/json", headers: { "accept-encoding": "br" } })
      assert.equal(head.headers["content-encoding"], undefined)
    } finally {
      await server.close()
    }
  })

  test("small answers, event streams, streamed bodies, binary types and encoded bodies go as they are", async () => {
    const server = await app()
    try {
      for (const url of ["/small", "/events", "/stream", "/zip", "/encoded"]) {
        const response = await server.inject({ url, headers: { "accept-encoding": "br, gzip" } })
        assert.notEqual(response.headers["content-encoding"], "br", url)
        assert.notEqual(response.headers["content-encoding"], "gzip", url)
      }
      const events = await server.inject({ url: "/events", headers: { "accept-encoding": "br" } })
      assert.equal(events.body, `data: ${big}\n\n`)
    } finally {
      await server.close()
    }
  })
})
