import assert from "node:assert/strict"
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, test } from "node:test"
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib"
import { expectError } from "../support/expect-error.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

export function metaTests(): void {
  describe("version, templates and the API description", () => {
    let harness: TestApp
    before(async () => {
      harness = await createTestApp()
    })
    after(() => harness.close())

    test("GET /api/version answers the server and Node versions", async () => {
      const response = await harness.app.inject({ method: "GET", url: "/api/version" })
      assert.equal(response.statusCode, 200)
      assert.deepEqual(response.json(), { version: "0.1.0", node: process.versions.node })
    })

    test("GET /api/templates lists the starter templates", async () => {
      const response = await harness.app.inject({ method: "GET", url: "/api/templates" })
      assert.equal(response.statusCode, 200)
      const ids = (response.json().items as { id: string }[]).map((template) => template.id).sort()
      assert.deepEqual(ids, ["node-ts", "python", "static-web"])
    })

    test("GET /api/openapi.json is an OpenAPI 3.1 document generated from the schemas", async () => {
      const response = await harness.app.inject({ method: "GET", url: "/api/openapi.json" })
      assert.equal(response.statusCode, 200)
      assert.match(String(response.headers["content-type"]), /^application\/json/)
      const document = response.json()
      assert.equal(document.openapi, "3.1.0")
      assert.ok(document.components.schemas.ErrorBody)
      const create = document.paths["/api/projects"].post
      assert.deepEqual(create.requestBody.content["application/json"].schema.required, ["name"])
      assert.equal(create.requestBody.content["application/json"].schema.additionalProperties, false)
      assert.ok(create.responses["201"].content["application/json"].schema.properties.purgeAfter)
      assert.equal(
        create.responses.default.content["application/json"].schema.$ref,
        "#/components/schemas/ErrorBody",
      )
      const list = document.paths["/api/projects"].get
      assert.deepEqual(
        list.parameters.map((parameter: { name: string }) => parameter.name),
        ["limit", "cursor", "deleted", "q"],
      )
      const read = document.paths["/api/projects/{projectId}/files"].get
      const projectId = read.parameters.find((parameter: { name: string }) => parameter.name === "projectId")
      assert.deepEqual([projectId.in, projectId.required], ["path", true])
      const upload = document.paths["/api/projects/{projectId}/files/upload"].post
      assert.ok(upload.requestBody.content["multipart/form-data"])
      assert.ok(document.paths["/api/stream"].get["x-websocket"].clientFrame)
      const operationIds = Object.values(document.paths).flatMap((operations) =>
        Object.values(operations as Record<string, { operationId: string }>).map(
          (operation) => operation.operationId,
        ),
      )
      assert.equal(new Set(operationIds).size, operationIds.length, "operation ids are unique")
    })

    test("JSON answers are compressed for clients that take brotli or gzip", async () => {
      const plain = await harness.app.inject({ method: "GET", url: "/api/openapi.json" })
      const br = await harness.app.inject({
        method: "GET",
        url: "/api/openapi.json",
        headers: { "accept-encoding": "gzip, deflate, br" },
      })
      assert.equal(br.headers["content-encoding"], "br")
      assert.ok(br.rawPayload.length < plain.rawPayload.length / 4)
      assert.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body)
      // Small answers are not worth it.
      const version = await harness.app.inject({
        method: "GET",
        url: "/api/version",
        headers: { "accept-encoding": "br" },
      })
      assert.equal(version.headers["content-encoding"], undefined)
    })

    test("GET /api/docs is a self-contained page that browses the document", async () => {
      const response = await harness.app.inject({ method: "GET", url: "/api/docs" })
      assert.equal(response.statusCode, 200)
      assert.match(String(response.headers["content-type"]), /^text\/html/)
      assert.match(response.body, /\/api\/openapi\.json/)
      assert.doesNotMatch(
        response.body,
        /<script[^>]+src=|<link[^>]+href="https?:/,
        "no external scripts or styles",
      )
      assert.match(response.body, /parameters/i)
    })

    test("an unknown route answers ROUTE_NOT_FOUND in the error shape", async () => {
      for (const url of ["/api/nothing-here", "/nothing-here", "/api/projects/x/y/z"]) {
        const body = expectError(await harness.app.inject({ method: "GET", url }), 404, "ROUTE_NOT_FOUND")
        assert.match(body.error.message, /\/api\/docs/)
      }
      expectError(await harness.app.inject({ method: "PUT", url: "/healthz" }), 404, "ROUTE_NOT_FOUND")
    })

    test("without a web build, / says how to build it", async () => {
      const response = await harness.app.inject({ method: "GET", url: "/" })
      assert.equal(response.statusCode, 200)
      assert.match(String(response.headers["content-type"]), /^text\/html/)
      assert.match(response.body, /npm run build/)
    })
  })

  describe("the web client's build", () => {
    const indexHtml = "<!doctype html><title>Xionimus app</title>"
    const bigScript = `${"console.log('a line of the app');\n".repeat(200)}`
    let harness: TestApp
    let webDir: string
    before(async () => {
      webDir = await mkdtemp(join(tmpdir(), "xionimus-web-"))
      await mkdir(join(webDir, "assets"))
      await writeFile(join(webDir, "index.html"), indexHtml)
      await writeFile(join(webDir, "assets", "app-1a2b.js"), "console.log('app')")
      // What the build's precompress step writes beside each text file (apps/web/precompress.ts).
      await writeFile(join(webDir, "assets", "big-3c4d.js"), bigScript)
      await writeFile(join(webDir, "assets", "big-3c4d.js.br"), brotliCompressSync(bigScript))
      await writeFile(join(webDir, "assets", "big-3c4d.js.gz"), gzipSync(bigScript))
      await writeFile(join(webDir, "index.html.br"), brotliCompressSync(indexHtml))
      harness = await createTestApp({ config: { server: { webDir } } })
    })
    after(async () => {
      await harness.close()
      await rm(webDir, { recursive: true, force: true })
    })

    test("/ serves index.html and assets are served with a long cache", async () => {
      const index = await harness.app.inject({ method: "GET", url: "/" })
      assert.equal(index.statusCode, 200)
      assert.match(index.body, /Xionimus app/)
      const asset = await harness.app.inject({ method: "GET", url: "/assets/app-1a2b.js" })
      assert.equal(asset.statusCode, 200)
      assert.match(String(asset.headers["content-type"]), /javascript/)
      assert.match(String(asset.headers["cache-control"]), /immutable/)
    })

    test("client-side routes fall back to index.html; /api and missing assets stay 404", async () => {
      const deep = await harness.app.inject({ method: "GET", url: "/projects/prj_123/files?path=a" })
      assert.equal(deep.statusCode, 200)
      assert.match(deep.body, /Xionimus app/)
      expectError(await harness.app.inject({ method: "GET", url: "/api/unknown" }), 404, "ROUTE_NOT_FOUND")
      expectError(
        await harness.app.inject({ method: "GET", url: "/assets/gone-9z.js" }),
        404,
        "ROUTE_NOT_FOUND",
      )
      expectError(await harness.app.inject({ method: "POST", url: "/projects" }), 404, "ROUTE_NOT_FOUND")
    })

    test("a client that takes brotli or gzip gets the build's precompressed copy; others the plain file", async () => {
      const url = "/assets/big-3c4d.js"
      const br = await harness.app.inject({ method: "GET", url, headers: { "accept-encoding": "gzip, br" } })
      assert.equal(br.statusCode, 200)
      assert.equal(br.headers["content-encoding"], "br")
      assert.match(String(br.headers["content-type"]), /javascript/)
      assert.match(String(br.headers.vary), /accept-encoding/i)
      assert.equal(brotliDecompressSync(br.rawPayload).toString(), bigScript)
      const gz = await harness.app.inject({ method: "GET", url, headers: { "accept-encoding": "gzip" } })
      assert.equal(gz.headers["content-encoding"], "gzip")
      assert.equal(gunzipSync(gz.rawPayload).toString(), bigScript)
      const plain = await harness.app.inject({ method: "GET", url })
      assert.equal(plain.headers["content-encoding"], undefined)
      assert.equal(plain.body, bigScript)
      // The single-page fallback sends index.html's copy too.
      const deep = await harness.app.inject({
        method: "GET",
        url: "/projects/prj_123",
        headers: { "accept-encoding": "br" },
      })
      assert.equal(deep.headers["content-encoding"], "br")
      assert.equal(brotliDecompressSync(deep.rawPayload).toString(), indexHtml)
    })
  })
}
