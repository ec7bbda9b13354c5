import assert from "node:assert/strict"
import { readdir } from "node:fs/promises"
import { after, before, describe, test } from "node:test"
import type { Project, StoredEvent } from "@xionimus/protocol"
import { createProject, expectError, failedFields } from "../support/expect-error.ts"
import { multipartPayload } from "../support/multipart.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

export function importTests(): void {
  describe("project import from a zip", () => {
    let harness: TestApp
    let archive: Buffer
    before(async () => {
      harness = await createTestApp({ config: { limits: { maxUploadBytes: 64 * 1024 } } })
      const source = await createProject(harness.app, "Zip source")
      const files = `/api/projects/${source.id}/files`
      await harness.app.inject({
        method: "PUT",
        url: files,
        payload: { path: "README.md", content: "# zipped\n" },
      })
      await harness.app.inject({
        method: "PUT",
        url: files,
        payload: { path: "src/main.ts", content: "export {}\n" },
      })
      const response = await harness.app.inject({ method: "GET", url: `/api/projects/${source.id}/archive` })
      assert.equal(response.statusCode, 200)
      archive = response.rawPayload
    })
    after(() => harness.close())

    const upload = async (parts: Parameters<typeof multipartPayload>[0]) =>
      harness.app.inject({ method: "POST", url: "/api/projects/import", ...(await multipartPayload(parts)) })

    test("a zip becomes a project with its files; the name comes from the field", async () => {
      const response = await upload([
        { name: "name", value: "Imported" },
        { name: "file", value: archive, filename: "source.zip" },
      ])
      assert.equal(response.statusCode, 201, response.body)
      const project = response.json() as Project
      assert.equal(project.name, "Imported")
      assert.deepEqual(project.source, { kind: "zip", filename: "source.zip" })
      const readme = await harness.app.inject({
        method: "GET",
        url: `/api/projects/${project.id}/files?path=README.md`,
      })
      assert.equal(readme.json().content, "# zipped\n")
      const main = await harness.app.inject({
        method: "GET",
        url: `/api/projects/${project.id}/files?path=src/main.ts`,
      })
      assert.equal(main.json().content, "export {}\n")
    })

    test("without a name field the archive's file name is used", async () => {
      const response = await upload([{ name: "file", value: archive, filename: "My Archive.ZIP" }])
      assert.equal(response.statusCode, 201, response.body)
      assert.equal(response.json().name, "My Archive")
    })

    test("a taken name is PROJECT_NAME_TAKEN and leaves no workspace behind", async () => {
      const before = await readdir(harness.services.workspaces.root)
      const response = await upload([
        { name: "name", value: "imported" },
        { name: "file", value: archive, filename: "again.zip" },
      ])
      expectError(response, 409, "PROJECT_NAME_TAKEN")
      assert.deepEqual((await readdir(harness.services.workspaces.root)).sort(), before.sort())
    })

    test("with a progressId the import publishes started, progress and ended on that stream", async () => {
      const progressId = "imp_progress-test-0001"
      const response = await upload([
        { name: "name", value: "Followed" },
        { name: "progressId", value: progressId },
        { name: "file", value: archive, filename: "followed.zip" },
      ])
      assert.equal(response.statusCode, 201, response.body)
      const events = (
        await harness.app.inject({ method: "GET", url: `/api/streams/${progressId}/events` })
      ).json() as { items: StoredEvent[] }
      const types = events.items.map((event) => event.type)
      assert.equal(types[0], "import.started")
      assert.ok(types.includes("import.progress"), types.join(", "))
      assert.equal(types.at(-1), "import.ended")
      const progress = events.items
        .filter((event) => event.type === "import.progress")
        .map((event) => event.data as { phase: string; ratio?: number })
      // Each phase shows at once; within one the newest is kept.
      assert.deepEqual([...new Set(progress.map((item) => item.phase))], ["preparing", "extracting", "done"])
      const extracting = progress.find((item) => item.phase === "extracting")!
      assert.ok(extracting.ratio! > 0 && extracting.ratio! <= 1)
      assert.equal(progress.at(-1)!.ratio, 1)
      assert.deepEqual(events.items.at(-1)!.data, { projectId: (response.json() as Project).id })

      // The same id again is taken; a failed import ends its stream with the error.
      expectError(
        await upload([
          { name: "progressId", value: progressId },
          { name: "file", value: archive, filename: "again-followed.zip" },
        ]),
        409,
        "PROGRESS_ID_TAKEN",
      )
      const failedId = "imp_progress-test-0002"
      expectError(
        await upload([
          { name: "progressId", value: failedId },
          { name: "file", value: Buffer.from("not a zip at all"), filename: "bad.zip" },
        ]),
        400,
        "ZIP_INVALID",
      )
      const failed = (
        await harness.app.inject({ method: "GET", url: `/api/streams/${failedId}/events` })
      ).json() as { items: StoredEvent[] }
      assert.equal((failed.items.at(-1)!.data as { error: { code: string } }).error.code, "ZIP_INVALID")
      assert.deepEqual(
        failedFields(
          expectError(
            await upload([
              { name: "progressId", value: "imp_short" },
              { name: "file", value: archive, filename: "a.zip" },
            ]),
            400,
            "VALIDATION_FAILED",
          ),
        ),
        ["progressId"],
      )
    })

    test("bytes that are not a zip are ZIP_INVALID", async () => {
      const response = await upload([
        { name: "file", value: Buffer.from("not a zip at all"), filename: "bad.zip" },
      ])
      expectError(response, 400, "ZIP_INVALID")
    })

    test("a missing file part, unknown fields and a bad name are named", async () => {
      assert.deepEqual(
        failedFields(expectError(await upload([{ name: "name", value: "x" }]), 400, "VALIDATION_FAILED")),
        ["file"],
      )
      const extra = await upload([
        { name: "owner", value: "me" },
        { name: "file", value: archive, filename: "a.zip" },
      ])
      assert.deepEqual(failedFields(expectError(extra, 400, "VALIDATION_FAILED")), ["owner"])
      const badName = await upload([
        { name: "name", value: "   " },
        { name: "file", value: archive, filename: "a.zip" },
      ])
      assert.deepEqual(failedFields(expectError(badName, 400, "VALIDATION_FAILED")), ["name"])
    })

    test("JSON instead of multipart is UNSUPPORTED_MEDIA_TYPE", async () => {
      const response = await harness.app.inject({
        method: "POST",
        url: "/api/projects/import",
        payload: { name: "x" },
      })
      expectError(response, 415, "UNSUPPORTED_MEDIA_TYPE")
    })

    test("an archive over limits.maxUploadBytes is UPLOAD_TOO_LARGE", async () => {
      const response = await upload([
        { name: "file", value: Buffer.alloc(64 * 1024 + 1), filename: "huge.zip" },
      ])
      expectError(response, 413, "UPLOAD_TOO_LARGE")
    })
  })
}
