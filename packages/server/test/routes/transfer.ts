import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import type { FileEntry, Project, StoredEvent } from "@xionimus/protocol"
import { createProject, expectError, failedFields } from "../support/expect-error.ts"
import { multipartPayload } from "../support/multipart.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

export function transferTests(): void {
  describe("upload, raw download and archive", () => {
    let harness: TestApp
    let project: Project
    let base: string
    before(async () => {
      harness = await createTestApp({
        config: { limits: { maxFileBytes: 1024, maxUploadBytes: 4096, maxUploadFiles: 5 } },
      })
      project = await createProject(harness.app, "Transfers")
      base = `/api/projects/${project.id}`
    })
    after(() => harness.close())

    const upload = async (query: string, parts: Parameters<typeof multipartPayload>[0]) =>
      harness.app.inject({
        method: "POST",
        url: `${base}/files/upload${query}`,
        ...(await multipartPayload(parts)),
      })
    const read = async (path: string) =>
      (
        await harness.app.inject({ method: "GET", url: `${base}/files?path=${encodeURIComponent(path)}` })
      ).json()

    test("many files upload at once, folders kept from each filename, into the target directory", async () => {
      const response = await upload("?path=incoming", [
        { name: "file", value: "top", filename: "top.txt" },
        { name: "file", value: "nested", filename: "folder/sub/nested.txt" },
      ])
      assert.equal(response.statusCode, 201, response.body)
      const paths = (response.json().items as FileEntry[]).map((entry) => entry.path).sort()
      assert.deepEqual(paths, ["incoming/folder/sub/nested.txt", "incoming/top.txt"])
      assert.equal((await read("incoming/folder/sub/nested.txt")).content, "nested")
      const events = (
        await harness.app.inject({ method: "GET", url: `/api/streams/${project.id}/events` })
      ).json().items as StoredEvent[]
      const changed = events.filter((event) => event.type === "file.changed").map((event) => event.data)
      assert.deepEqual(
        changed.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
        [
          {
            path: "incoming/folder/sub/nested.txt",
            change: "created",
            entryType: "file",
            by: { userId: harness.ownerId },
          },
          { path: "incoming/top.txt", change: "created", entryType: "file", by: { userId: harness.ownerId } },
        ],
      )
    })

    test("uploading to the root works without a path; an existing file is updated", async () => {
      const first = await upload("", [{ name: "file", value: "v1", filename: "root.txt" }])
      assert.equal(first.statusCode, 201)
      const second = await upload("", [{ name: "file", value: "v2", filename: "root.txt" }])
      assert.equal(second.statusCode, 201)
      assert.equal((await read("root.txt")).content, "v2")
    })

    test("a filename that climbs out is PATH_INVALID and nothing of the upload is written", async () => {
      const response = await upload("", [
        { name: "file", value: "fine", filename: "fine.txt" },
        { name: "file", value: "evil", filename: "../../evil.txt" },
      ])
      expectError(response, 400, "PATH_INVALID")
      const fine = await harness.app.inject({ method: "GET", url: `${base}/files?path=fine.txt` })
      expectError(fine, 404, "FILE_NOT_FOUND")
      expectError(
        await upload("?path=../x", [{ name: "file", value: "x", filename: "x.txt" }]),
        400,
        "PATH_INVALID",
      )
    })

    test("limits: one file too large, the upload too large, too many files", async () => {
      const big = await upload("", [{ name: "file", value: "x".repeat(1025), filename: "big.txt" }])
      expectError(big, 413, "FILE_TOO_LARGE")
      const total = await upload(
        "",
        Array.from({ length: 5 }, (_, index) => ({
          name: "file",
          value: "y".repeat(1000),
          filename: `t${index}.txt`,
        })),
      )
      expectError(total, 413, "UPLOAD_TOO_LARGE")
      const many = await upload(
        "",
        Array.from({ length: 6 }, (_, index) => ({ name: "file", value: "z", filename: `m${index}.txt` })),
      )
      expectError(many, 413, "UPLOAD_TOO_LARGE")
      const written = await harness.app.inject({ method: "GET", url: `${base}/files?path=m0.txt` })
      expectError(written, 404, "FILE_NOT_FOUND")
    })

    test("no files, stray fields, unknown query parameters and JSON bodies are refused", async () => {
      const empty = await upload("", [{ name: "note", value: "hi" }])
      assert.deepEqual(failedFields(expectError(empty, 400, "VALIDATION_FAILED")).sort(), ["file", "note"])
      const query = await upload("?path=a&mode=x", [{ name: "file", value: "x", filename: "x.txt" }])
      assert.deepEqual(failedFields(expectError(query, 400, "VALIDATION_FAILED")), ["mode"])
      const json = await harness.app.inject({
        method: "POST",
        url: `${base}/files/upload`,
        payload: { a: 1 },
      })
      expectError(json, 415, "UNSUPPORTED_MEDIA_TYPE")
    })

    test("raw download answers the bytes as an attachment", async () => {
      const bytes = Buffer.from([1, 2, 3, 0, 255])
      await harness.app.inject({
        method: "PUT",
        url: `${base}/files`,
        payload: { path: "dl/Grüße.bin", content: bytes.toString("base64"), encoding: "base64" },
      })
      const response = await harness.app.inject({
        method: "GET",
        url: `${base}/files/raw?path=${encodeURIComponent("dl/Grüße.bin")}`,
      })
      assert.equal(response.statusCode, 200)
      assert.deepEqual(response.rawPayload, bytes)
      assert.equal(response.headers["content-type"], "application/octet-stream")
      assert.equal(
        response.headers["content-disposition"],
        `attachment; filename="Gr__e.bin"; filename*=UTF-8''Gr%C3%BC%C3%9Fe.bin`,
      )
      expectError(
        await harness.app.inject({ method: "GET", url: `${base}/files/raw?path=dl/none` }),
        404,
        "FILE_NOT_FOUND",
      )
      expectError(
        await harness.app.inject({ method: "GET", url: `${base}/files/raw?path=dl` }),
        409,
        "NOT_A_FILE",
      )
    })

    test("the archive streams a zip named after the project", async () => {
      const response = await harness.app.inject({ method: "GET", url: `${base}/archive` })
      assert.equal(response.statusCode, 200)
      assert.equal(response.headers["content-type"], "application/zip")
      assert.match(String(response.headers["content-disposition"]), /filename="Transfers\.zip"/)
      assert.equal(response.rawPayload.subarray(0, 4).toString("latin1"), "PK\u0003\u0004")
      // Every entry lies under one top-level folder named after the project, which import strips again.
      assert.ok(response.rawPayload.includes(Buffer.from("Transfers/incoming/top.txt")))
      const query = await harness.app.inject({ method: "GET", url: `${base}/archive?format=tar` })
      assert.deepEqual(failedFields(expectError(query, 400, "VALIDATION_FAILED")), ["format"])
    })
  })
}
