import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { ApiError, type Client, createClient } from "../src/index.ts"
import { startTestServer, type TestServer } from "./support/test-server.ts"

describe("SDK client: files (real server)", () => {
  let server: TestServer
  let client: Client
  let projectId: string

  before(async () => {
    server = await startTestServer()
    client = createClient({ baseUrl: server.url, headers: server.headers })
    projectId = (await client.createProject({ name: "Files" })).id
  })
  after(() => server.close())

  test("createEntry, readFile, writeFile with versions, move and remove", async () => {
    const created = await client.createEntry(projectId, {
      path: "notes/a.txt",
      type: "file",
      content: "one\n",
    })
    assert.equal(created.path, "notes/a.txt")
    const read = await client.readFile(projectId, "notes/a.txt")
    assert.equal(read.encoding, "utf8")
    assert.equal(read.content, "one\n")

    const written = await client.writeFile(projectId, {
      path: "notes/a.txt",
      content: "two\n",
      expectedVersion: read.entry.version,
    })
    assert.notEqual(written.version, read.entry.version)
    const stale = await client
      .writeFile(projectId, { path: "notes/a.txt", content: "three\n", expectedVersion: read.entry.version })
      .catch((error: unknown) => error)
    assert.ok(stale instanceof ApiError)
    assert.equal(stale.code, "VERSION_CONFLICT")
    assert.equal(stale.status, 409)

    const moved = await client.move(projectId, { from: "notes/a.txt", to: "notes/b.txt" })
    assert.equal(moved.path, "notes/b.txt")
    await client.remove(projectId, "notes/b.txt")
    const gone = await client.readFile(projectId, "notes/b.txt").catch((error: unknown) => error)
    assert.ok(gone instanceof ApiError)
    assert.equal(gone.code, "FILE_NOT_FOUND")
  })

  test("binary content comes back as base64", async () => {
    const bytes = Buffer.from([0, 255, 1, 254, 0x80])
    await client.writeFile(projectId, {
      path: "blob.bin",
      content: bytes.toString("base64"),
      encoding: "base64",
    })
    const read = await client.readFile(projectId, "blob.bin")
    assert.equal(read.encoding, "base64")
    assert.deepEqual(Buffer.from(read.content, "base64"), bytes)
  })

  test("tree pages through a directory with a cursor", async () => {
    const id = (await client.createProject({ name: "Tree" })).id
    for (const name of ["a", "b", "c", "d", "e"]) {
      await client.createEntry(id, { path: `dir/${name}.txt`, type: "file", content: name })
    }
    await client.createEntry(id, { path: "dir/sub", type: "directory" })
    const paths: string[] = []
    let cursor: string | undefined
    do {
      const page = await client.tree(id, { path: "dir", limit: 2, cursor })
      assert.equal(page.path, "dir")
      paths.push(...page.items.map((entry) => entry.path))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    // Directories first, then files by name.
    assert.deepEqual(paths, ["dir/sub", "dir/a.txt", "dir/b.txt", "dir/c.txt", "dir/d.txt", "dir/e.txt"])
    const root = await client.tree(id)
    assert.deepEqual(
      root.items.map((entry) => [entry.name, entry.type]),
      [["dir", "directory"]],
    )
  })

  test("upload keeps folder paths, from explicit items and from files with webkitRelativePath", async () => {
    const id = (await client.createProject({ name: "Upload" })).id
    const picked = new File(["from a folder picker"], "c.txt")
    Object.defineProperty(picked, "webkitRelativePath", { value: "folder/deep/c.txt" })
    const items = await client.upload(
      id,
      [{ path: "docs/a.md", content: new Blob(["# A\n"]) }, new File(["plain"], "b.txt"), picked],
      { path: "in" },
    )
    assert.deepEqual(items.map((entry) => entry.path).sort(), [
      "in/b.txt",
      "in/docs/a.md",
      "in/folder/deep/c.txt",
    ])
    assert.equal((await client.readFile(id, "in/folder/deep/c.txt")).content, "from a folder picker")
    assert.equal((await client.readFile(id, "in/docs/a.md")).content, "# A\n")
  })

  test("rawUrl serves the bytes; archiveUrl a zip that importProject takes back", async () => {
    const id = (await client.createProject({ name: "Archive" })).id
    await client.createEntry(id, { path: "src/main.txt", type: "file", content: "hello" })
    // A second top-level entry: an import strips a lone top-level folder (as in GitHub's zips).
    await client.createEntry(id, { path: "README.md", type: "file", content: "# Archive\n" })
    const raw = await fetch(client.rawUrl(id, "src/main.txt"), { headers: server.headers })
    assert.equal(raw.status, 200)
    assert.equal(await raw.text(), "hello")
    assert.match(raw.headers.get("content-disposition") ?? "", /attachment/)

    const archive = await fetch(client.archiveUrl(id), { headers: server.headers })
    assert.equal(archive.status, 200)
    const zip = new Uint8Array(await archive.arrayBuffer())
    assert.deepEqual([...zip.slice(0, 2)], [0x50, 0x4b])

    const imported = await client.importProject({
      name: "Imported",
      file: new Blob([zip]),
      filename: "archive.zip",
    })
    assert.equal(imported.source.kind, "zip")
    assert.equal((await client.readFile(imported.id, "src/main.txt")).content, "hello")
  })

  test("events pages through the project's activity stream with its head", async () => {
    const id = (await client.createProject({ name: "Events" })).id
    await client.createEntry(id, { path: "x.txt", type: "file", content: "x" })
    await client.renameProject(id, "Events 2")
    const all = await client.events(id)
    assert.deepEqual(
      all.items.map((event) => event.type),
      ["project.created", "file.changed", "project.renamed"],
    )
    assert.equal(all.head, 3)
    const tail = await client.events(id, { after: 1, limit: 1 })
    assert.deepEqual(
      tail.items.map((event) => event.seq),
      [2],
    )
    assert.equal(tail.head, 3)
  })
})
