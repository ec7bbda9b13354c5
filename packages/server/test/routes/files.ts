import assert from "node:assert/strict"
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, test } from "node:test"
import type { FileEntry, Project, StoredEvent } from "@xionimus/protocol"
import { createProject, expectError, failedFields } from "../support/expect-error.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

const unknownId = "prj_0190b6f3a2c100AAAAAAAAAAAA"

export function fileTests(): void {
  describe("files", () => {
    let harness: TestApp
    let project: Project
    let files: string
    before(async () => {
      harness = await createTestApp({ config: { limits: { maxFileBytes: 64 * 1024 } } })
      project = await createProject(harness.app, "Files")
      files = `/api/projects/${project.id}/files`
    })
    after(() => harness.close())

    const put = (payload: object) => harness.app.inject({ method: "PUT", url: files, payload })
    const read = (path: string) =>
      harness.app.inject({ method: "GET", url: `${files}?path=${encodeURIComponent(path)}` })
    async function lastEvent(): Promise<StoredEvent | undefined> {
      const response = await harness.app.inject({
        method: "GET",
        url: `/api/streams/${project.id}/events?limit=1000`,
      })
      return (response.json().items as StoredEvent[]).at(-1)
    }

    test("PUT creates a file, GET reads it back, the tree lists it, file.changed is recorded", async () => {
      const written = await put({ path: "src/hello.txt", content: "hello\n", expectedVersion: null })
      assert.equal(written.statusCode, 200, written.body)
      const entry = written.json() as FileEntry
      assert.deepEqual(
        [entry.path, entry.name, entry.type, entry.size],
        ["src/hello.txt", "hello.txt", "file", 6],
      )
      assert.deepEqual((await lastEvent())?.data, {
        path: "src/hello.txt",
        change: "created",
        entryType: "file",
        by: { userId: harness.ownerId },
      })
      const got = (await read("src/hello.txt")).json()
      assert.deepEqual([got.encoding, got.content, got.entry.version], ["utf8", "hello\n", entry.version])
      const tree = await harness.app.inject({
        method: "GET",
        url: `/api/projects/${project.id}/tree?path=src`,
      })
      assert.equal(tree.statusCode, 200)
      assert.deepEqual(
        tree.json().items.map((item: FileEntry) => item.path),
        ["src/hello.txt"],
      )
      assert.equal(tree.json().path, "src")
    })

    test("the tree pages with a cursor, directories first", async () => {
      for (const name of ["b.txt", "a.txt", "c.txt"]) await put({ path: `paged/${name}`, content: name })
      await harness.app.inject({
        method: "POST",
        url: files,
        payload: { path: "paged/zdir", type: "directory" },
      })
      const first = (
        await harness.app.inject({
          method: "GET",
          url: `/api/projects/${project.id}/tree?path=paged&limit=2`,
        })
      ).json()
      assert.deepEqual(
        first.items.map((item: FileEntry) => item.name),
        ["zdir", "a.txt"],
      )
      const second = (
        await harness.app.inject({
          method: "GET",
          url: `/api/projects/${project.id}/tree?path=paged&limit=2&cursor=${encodeURIComponent(first.nextCursor)}`,
        })
      ).json()
      assert.deepEqual(
        second.items.map((item: FileEntry) => item.name),
        ["b.txt", "c.txt"],
      )
      assert.equal(second.nextCursor, null)
    })

    test("expectedVersion: a stale version is VERSION_CONFLICT, null on an existing file too", async () => {
      const first = (await put({ path: "versioned.txt", content: "one" })).json() as FileEntry
      const second = await put({ path: "versioned.txt", content: "two", expectedVersion: first.version })
      assert.equal(second.statusCode, 200)
      assert.deepEqual((await lastEvent())?.data, {
        path: "versioned.txt",
        change: "updated",
        entryType: "file",
        by: { userId: harness.ownerId },
      })
      expectError(
        await put({ path: "versioned.txt", content: "three", expectedVersion: first.version }),
        409,
        "VERSION_CONFLICT",
      )
      expectError(
        await put({ path: "versioned.txt", content: "three", expectedVersion: null }),
        409,
        "VERSION_CONFLICT",
      )
      assert.equal((await read("versioned.txt")).json().content, "two")
    })

    test("two concurrent writes with the same expectedVersion: exactly one 200 and one 409", async () => {
      const base = (await put({ path: "race.txt", content: "base" })).json() as FileEntry
      const answers = await Promise.all(
        ["left", "right"].map((content) => put({ path: "race.txt", content, expectedVersion: base.version })),
      )
      const statuses = answers.map((answer) => answer.statusCode).sort()
      assert.deepEqual(statuses, [200, 409])
      const winner = answers.find((answer) => answer.statusCode === 200)!
      const loser = answers.find((answer) => answer.statusCode === 409)!
      expectError(loser, 409, "VERSION_CONFLICT")
      const content = (await read("race.txt")).json()
      assert.equal(content.entry.version, winner.json().version)
      assert.ok(["left", "right"].includes(content.content))
    })

    test("binary content goes in and out as base64; bad base64 names the field", async () => {
      const bytes = Buffer.from([0, 159, 146, 150, 255])
      const written = await put({
        path: "bin/blob.bin",
        content: bytes.toString("base64"),
        encoding: "base64",
      })
      assert.equal(written.statusCode, 200)
      const got = (await read("bin/blob.bin")).json()
      assert.equal(got.encoding, "base64")
      assert.deepEqual(Buffer.from(got.content, "base64"), bytes)
      const bad = await put({ path: "bin/bad.bin", content: "not base64!", encoding: "base64" })
      assert.deepEqual(failedFields(expectError(bad, 400, "VALIDATION_FAILED")), ["content"])
    })

    test("a file over limits.maxFileBytes is FILE_TOO_LARGE", async () => {
      const response = await put({ path: "big.txt", content: "x".repeat(64 * 1024 + 1) })
      expectError(response, 413, "FILE_TOO_LARGE")
    })

    test("POST creates files and directories; an existing path is FILE_EXISTS", async () => {
      const directory = await harness.app.inject({
        method: "POST",
        url: files,
        payload: { path: "made/dir", type: "directory" },
      })
      assert.equal(directory.statusCode, 201)
      assert.equal(directory.json().type, "directory")
      assert.deepEqual((await lastEvent())?.data, {
        path: "made/dir",
        change: "created",
        entryType: "directory",
        by: { userId: harness.ownerId },
      })
      const file = await harness.app.inject({
        method: "POST",
        url: files,
        payload: { path: "made/new.txt", type: "file", content: "new" },
      })
      assert.equal(file.statusCode, 201)
      assert.equal((await read("made/new.txt")).json().content, "new")
      const again = await harness.app.inject({
        method: "POST",
        url: files,
        payload: { path: "made/new.txt", type: "file" },
      })
      expectError(again, 409, "FILE_EXISTS")
      const wrongType = await harness.app.inject({
        method: "POST",
        url: files,
        payload: { path: "x", type: "socket" },
      })
      assert.deepEqual(failedFields(expectError(wrongType, 400, "VALIDATION_FAILED")), ["type"])
    })

    test("move renames, refuses to overwrite unless asked, records from and to", async () => {
      await put({ path: "move/a.txt", content: "a" })
      await put({ path: "move/b.txt", content: "b" })
      const move = (payload: object) => harness.app.inject({ method: "POST", url: `${files}/move`, payload })
      expectError(await move({ from: "move/a.txt", to: "move/b.txt" }), 409, "FILE_EXISTS")
      const moved = await move({ from: "move/a.txt", to: "move/b.txt", overwrite: true })
      assert.equal(moved.statusCode, 200)
      assert.equal(moved.json().path, "move/b.txt")
      assert.deepEqual((await lastEvent())?.data, {
        path: "move/b.txt",
        from: "move/a.txt",
        change: "moved",
        entryType: "file",
        by: { userId: harness.ownerId },
      })
      assert.equal((await read("move/b.txt")).json().content, "a")
      expectError(await read("move/a.txt"), 404, "FILE_NOT_FOUND")
      expectError(await move({ from: "move/none.txt", to: "move/c.txt" }), 404, "FILE_NOT_FOUND")
      assert.deepEqual(failedFields(expectError(await move({ from: "a" }), 400, "VALIDATION_FAILED")), ["to"])
    })

    test("DELETE removes files and whole directories and records the entry type", async () => {
      await put({ path: "gone/deep/x.txt", content: "x" })
      const remove = (path: string) =>
        harness.app.inject({ method: "DELETE", url: `${files}?path=${encodeURIComponent(path)}` })
      const response = await remove("gone")
      assert.equal(response.statusCode, 204)
      assert.equal(response.body, "")
      assert.deepEqual((await lastEvent())?.data, {
        path: "gone",
        change: "deleted",
        entryType: "directory",
        by: { userId: harness.ownerId },
      })
      expectError(await read("gone/deep/x.txt"), 404, "FILE_NOT_FOUND")
      expectError(await remove("gone"), 404, "FILE_NOT_FOUND")
    })

    test("reading a directory is NOT_A_FILE; a missing file is FILE_NOT_FOUND", async () => {
      expectError(await read("src"), 409, "NOT_A_FILE")
      expectError(await read("nope.txt"), 404, "FILE_NOT_FOUND")
    })

    test("paths that escape are refused: ../, absolute, NUL, empty", async () => {
      for (const path of ["../outside.txt", "a/../../outside.txt", "/etc/passwd", "a\u0000b"]) {
        expectError(await read(path), 400, "PATH_INVALID")
        expectError(await put({ path, content: "x" }), 400, "PATH_INVALID")
      }
      const move = await harness.app.inject({
        method: "POST",
        url: `${files}/move`,
        payload: { from: "src/hello.txt", to: "../hello.txt" },
      })
      expectError(move, 400, "PATH_INVALID")
      const tree = await harness.app.inject({
        method: "GET",
        url: `/api/projects/${project.id}/tree?path=..`,
      })
      expectError(tree, 400, "PATH_INVALID")
      assert.deepEqual(failedFields(expectError(await read(""), 400, "VALIDATION_FAILED")), ["path"])
    })

    test("a symlink out of the workspace is never followed", async () => {
      const outside = await mkdtemp(join(tmpdir(), "xionimus-outside-"))
      try {
        await writeFile(join(outside, "secret.txt"), "secret")
        const root = join(harness.services.workspaces.root, project.id)
        await symlink(join(outside, "secret.txt"), join(root, "evil.txt"))
        await symlink(outside, join(root, "evil-dir"))
        const response = await read("evil.txt")
        expectError(response, 403, "PATH_OUTSIDE_WORKSPACE")
        assert.doesNotMatch(response.body, /secret"/)
        expectError(await put({ path: "evil.txt", content: "overwrite" }), 403, "PATH_OUTSIDE_WORKSPACE")
        expectError(await put({ path: "evil-dir/planted.txt", content: "x" }), 403, "PATH_OUTSIDE_WORKSPACE")
        const raw = await harness.app.inject({ method: "GET", url: `${files}/raw?path=evil.txt` })
        expectError(raw, 403, "PATH_OUTSIDE_WORKSPACE")
      } finally {
        await rm(outside, { recursive: true, force: true })
      }
    })

    test("file routes answer PROJECT_NOT_FOUND for an unknown project and PROJECT_DELETED for a deleted one", async () => {
      const deleted = await createProject(harness.app, "Deleted files")
      await harness.app.inject({ method: "DELETE", url: `/api/projects/${deleted.id}` })
      for (const [id, status, code] of [
        [unknownId, 404, "PROJECT_NOT_FOUND"],
        [deleted.id, 409, "PROJECT_DELETED"],
      ] as const) {
        const base = `/api/projects/${id}`
        const requests = [
          harness.app.inject({ method: "GET", url: `${base}/tree` }),
          harness.app.inject({ method: "GET", url: `${base}/files?path=a` }),
          harness.app.inject({ method: "PUT", url: `${base}/files`, payload: { path: "a", content: "" } }),
          harness.app.inject({ method: "POST", url: `${base}/files`, payload: { path: "a", type: "file" } }),
          harness.app.inject({ method: "DELETE", url: `${base}/files?path=a` }),
          harness.app.inject({ method: "POST", url: `${base}/files/move`, payload: { from: "a", to: "b" } }),
          harness.app.inject({ method: "GET", url: `${base}/files/raw?path=a` }),
          harness.app.inject({ method: "GET", url: `${base}/archive` }),
        ]
        for (const response of await Promise.all(requests)) expectError(response, status, code)
      }
    })
  })
}
