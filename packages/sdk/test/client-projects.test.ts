import assert from "node:assert/strict"
import { after, before, describe, test } from "node:test"
import { ApiError, type Client, createClient } from "../src/index.ts"
import { startTestServer, type TestServer } from "./support/test-server.ts"

describe("SDK client: projects (real server)", () => {
  let server: TestServer
  let client: Client

  before(async () => {
    server = await startTestServer()
    client = createClient({ baseUrl: server.url, headers: server.headers })
  })
  after(() => server.close())

  test("health, version and templates parse", async () => {
    assert.deepEqual(await client.health(), { status: "ok" })
    const version = await client.version()
    assert.equal(typeof version.version, "string")
    const templates = await client.templates()
    assert.deepEqual(templates.map((template) => template.id).sort(), ["node-ts", "python", "static-web"])
  })

  test("create, get, rename, delete to the trash and restore", async () => {
    const created = await client.createProject({ name: "Alpha", template: "static-web" })
    assert.match(created.id, /^prj_/)
    assert.deepEqual(created.source, { kind: "template", template: "static-web" })
    assert.equal((await client.getProject(created.id)).name, "Alpha")

    const renamed = await client.renameProject(created.id, "Alpha 2")
    assert.equal(renamed.name, "Alpha 2")

    const deleted = await client.deleteProject(created.id)
    assert.notEqual(deleted.deletedAt, null)
    assert.notEqual(deleted.purgeAfter, null)
    const trash = await client.listProjects({ deleted: "only" })
    assert.ok(trash.items.some((project) => project.id === created.id))
    const live = await client.listProjects()
    assert.ok(!live.items.some((project) => project.id === created.id))

    const restored = await client.restoreProject(created.id)
    assert.equal(restored.deletedAt, null)
    assert.ok((await client.listProjects()).items.some((project) => project.id === created.id))
  })

  test("lists paginate with a cursor and search by name", async () => {
    const names = ["Page One", "Page Two", "Page Three"]
    for (const name of names) await client.createProject({ name })
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await client.listProjects({ limit: 1, cursor, q: "page " })
      assert.ok(page.items.length <= 1)
      seen.push(...page.items.map((project) => project.name))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    assert.deepEqual(seen.sort(), [...names].sort())
    const found = await client.listProjects({ q: "two" })
    assert.deepEqual(
      found.items.map((project) => project.name),
      ["Page Two"],
    )
  })

  test("errors arrive as ApiError with code, message, status, details and request id", async () => {
    await client.createProject({ name: "Taken" })
    const taken = await client.createProject({ name: "Taken" }).catch((error: unknown) => error)
    assert.ok(taken instanceof ApiError)
    assert.equal(taken.code, "PROJECT_NAME_TAKEN")
    assert.equal(taken.status, 409)
    assert.ok(taken.message.length > 0)
    assert.equal(typeof taken.requestId, "string")

    const missing = await client.getProject("prj_0190b6f3a2c10aJ9xQ2mP7vLab").catch((error: unknown) => error)
    assert.ok(missing instanceof ApiError)
    assert.equal(missing.code, "PROJECT_NOT_FOUND")
    assert.equal(missing.status, 404)

    const invalid = await client.createProject({ name: "   " }).catch((error: unknown) => error)
    assert.ok(invalid instanceof ApiError)
    assert.equal(invalid.code, "VALIDATION_FAILED")
    assert.equal(invalid.status, 400)
    assert.notEqual(invalid.details, undefined)
  })

  test("a server that does not answer is NETWORK_ERROR with status 0", async () => {
    const probe = await startTestServer()
    const url = probe.url
    await probe.close()
    const error = await createClient({ baseUrl: url })
      .health()
      .catch((caught: unknown) => caught)
    assert.ok(error instanceof ApiError)
    assert.equal(error.code, "NETWORK_ERROR")
    assert.equal(error.status, 0)
  })

  test("an aborted call is ABORTED", async () => {
    const controller = new AbortController()
    controller.abort()
    const error = await client.listProjects({ signal: controller.signal }).catch((caught: unknown) => caught)
    assert.ok(error instanceof ApiError)
    assert.equal(error.code, "ABORTED")
  })
})
