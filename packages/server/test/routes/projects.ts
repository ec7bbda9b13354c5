import assert from "node:assert/strict"
import { execFileSync } from "node:child_process"
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, test } from "node:test"
import type { Project, StoredEvent } from "@xionimus/protocol"
import { createProject, expectError, failedFields } from "../support/expect-error.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

const unknownId = "prj_0190b6f3a2c100AAAAAAAAAAAA"

export function projectTests(): void {
  describe("projects", () => {
    let harness: TestApp
    before(async () => {
      harness = await createTestApp({ config: { projects: { purgeAfterDays: 7 } } })
    })
    after(() => harness.close())

    async function events(projectId: string): Promise<StoredEvent[]> {
      const response = await harness.app.inject({ method: "GET", url: `/api/streams/${projectId}/events` })
      assert.equal(response.statusCode, 200)
      return response.json().items
    }

    test("POST /api/projects creates an empty project with a workspace and a project.created event", async () => {
      const project = await createProject(harness.app, "Empty one")
      assert.match(project.id, /^prj_/)
      assert.deepEqual(project.source, { kind: "empty" })
      assert.equal(project.deletedAt, null)
      assert.ok(await harness.services.workspaces.exists(project.id))
      const [created] = await events(project.id)
      assert.equal(created?.type, "project.created")
      assert.equal(created?.seq, 1)
      assert.deepEqual(created?.data, { name: "Empty one", source: { kind: "empty" } })
    })

    test("POST /api/projects from a template fills the workspace", async () => {
      const project = await createProject(harness.app, "From template", { template: "python" })
      assert.deepEqual(project.source, { kind: "template", template: "python" })
      const tree = await harness.app.inject({ method: "GET", url: `/api/projects/${project.id}/tree` })
      assert.ok(tree.json().items.length > 0)
    })

    test("POST /api/projects from a git URL clones the repository", async () => {
      const repo = await mkdtemp(join(tmpdir(), "xionimus-git-"))
      try {
        const git = (...args: string[]) =>
          execFileSync("git", args, {
            cwd: repo,
            env: {
              ...process.env,
              GIT_AUTHOR_NAME: "t",
              GIT_AUTHOR_EMAIL: "t@t",
              GIT_COMMITTER_NAME: "t",
              GIT_COMMITTER_EMAIL: "t@t",
            },
          })
        git("init", "-q", "-b", "main")
        await writeFile(join(repo, "README.md"), "# cloned\n")
        git("add", ".")
        git("commit", "-q", "-m", "first")
        const project = await createProject(harness.app, "Cloned", { git: { url: `file://${repo}` } })
        assert.deepEqual(project.source, { kind: "git", url: `file://${repo}` })
        const file = await harness.app.inject({
          method: "GET",
          url: `/api/projects/${project.id}/files?path=README.md`,
        })
        assert.equal(file.json().content, "# cloned\n")
      } finally {
        await rm(repo, { recursive: true, force: true })
      }
    })

    test("a failing clone answers GIT_CLONE_FAILED and leaves no project or directory", async () => {
      const workspaces = async () =>
        (await readdir(harness.services.workspaces.root)).filter((name) => name.startsWith("prj_")).sort()
      const before = await workspaces()
      const response = await harness.app.inject({
        method: "POST",
        url: "/api/projects",
        payload: { name: "Missing repo", git: { url: "file:///nonexistent/xionimus-repo.git" } },
      })
      expectError(response, 422, "GIT_CLONE_FAILED")
      const list = await harness.app.inject({ method: "GET", url: "/api/projects?q=Missing%20repo" })
      assert.deepEqual(list.json().items, [])
      assert.deepEqual(await workspaces(), before)
    })

    test("a git URL of an unsupported kind answers GIT_URL_INVALID", async () => {
      const response = await harness.app.inject({
        method: "POST",
        url: "/api/projects",
        payload: { name: "Bad URL", git: { url: "ftp://example.invalid/repo.git" } },
      })
      expectError(response, 400, "GIT_URL_INVALID")
    })

    test("template and git together are refused, naming the field", async () => {
      const response = await harness.app.inject({
        method: "POST",
        url: "/api/projects",
        payload: { name: "Both", template: "node-ts", git: { url: "https://example.invalid/r.git" } },
      })
      assert.deepEqual(failedFields(expectError(response, 400, "VALIDATION_FAILED")), ["git"])
    })

    test("bad bodies name each bad field: unknown fields, wrong types, empty and control-character names", async () => {
      const cases: [unknown, string[]][] = [
        [{ name: "x", owner: "me" }, ["owner"]],
        [{ name: 42 }, ["name"]],
        [{ name: "   " }, ["name"]],
        [{ name: "a\u0007b" }, ["name"]],
        [{ name: "x", template: "cobol" }, ["template"]],
        [{ name: "x", git: { url: "https://h/r.git", depth: 1 } }, ["git.depth"]],
        [{}, ["name"]],
        [[], [""]],
      ]
      for (const [payload, fields] of cases) {
        const response = await harness.app.inject({
          method: "POST",
          url: "/api/projects",
          payload: payload as object,
        })
        assert.deepEqual(
          failedFields(expectError(response, 400, "VALIDATION_FAILED")),
          fields,
          JSON.stringify(payload),
        )
      }
    })

    test("duplicate names are refused case-insensitively; a deleted project frees its name", async () => {
      const first = await createProject(harness.app, "Twin")
      const again = await harness.app.inject({
        method: "POST",
        url: "/api/projects",
        payload: { name: "twin" },
      })
      expectError(again, 409, "PROJECT_NAME_TAKEN")
      assert.equal(
        (await harness.app.inject({ method: "DELETE", url: `/api/projects/${first.id}` })).statusCode,
        200,
      )
      const second = await createProject(harness.app, "TWIN")
      // Restoring the first would take the name twice.
      const restore = await harness.app.inject({ method: "POST", url: `/api/projects/${first.id}/restore` })
      expectError(restore, 409, "PROJECT_NAME_TAKEN")
      const rename = await harness.app.inject({
        method: "PATCH",
        url: `/api/projects/${second.id}`,
        payload: { name: "Empty One" },
      })
      expectError(rename, 409, "PROJECT_NAME_TAKEN")
    })

    test("GET /api/projects/:projectId answers the project; unknown and malformed ids differ", async () => {
      const project = await createProject(harness.app, "Readable")
      const response = await harness.app.inject({ method: "GET", url: `/api/projects/${project.id}` })
      assert.deepEqual(response.json(), project)
      expectError(
        await harness.app.inject({ method: "GET", url: `/api/projects/${unknownId}` }),
        404,
        "PROJECT_NOT_FOUND",
      )
      const malformed = await harness.app.inject({ method: "GET", url: "/api/projects/not-an-id" })
      assert.deepEqual(failedFields(expectError(malformed, 400, "VALIDATION_FAILED")), ["projectId"])
    })

    test("PATCH renames and records project.renamed", async () => {
      const project = await createProject(harness.app, "Old name")
      const response = await harness.app.inject({
        method: "PATCH",
        url: `/api/projects/${project.id}`,
        payload: { name: "  New name  " },
      })
      assert.equal(response.statusCode, 200)
      assert.equal((response.json() as Project).name, "New name")
      const renamed = (await events(project.id)).at(-1)
      assert.deepEqual(
        [renamed?.type, renamed?.data],
        ["project.renamed", { name: "New name", previousName: "Old name" }],
      )
      expectError(
        await harness.app.inject({
          method: "PATCH",
          url: `/api/projects/${unknownId}`,
          payload: { name: "x" },
        }),
        404,
        "PROJECT_NOT_FOUND",
      )
      const extra = await harness.app.inject({
        method: "PATCH",
        url: `/api/projects/${project.id}`,
        payload: { name: "y", deletedAt: null },
      })
      assert.deepEqual(failedFields(expectError(extra, 400, "VALIDATION_FAILED")), ["deletedAt"])
    })

    test("DELETE soft-deletes (purgeAfter set), restore brings it back, both recorded", async () => {
      const project = await createProject(harness.app, "Deletable")
      const deleted = (
        await harness.app.inject({ method: "DELETE", url: `/api/projects/${project.id}` })
      ).json()
      assert.ok(deleted.deletedAt)
      const days = (Date.parse(deleted.purgeAfter) - Date.parse(deleted.deletedAt)) / 86_400_000
      assert.equal(Math.round(days), 7)
      expectError(
        await harness.app.inject({ method: "DELETE", url: `/api/projects/${project.id}` }),
        409,
        "PROJECT_DELETED",
      )
      const rename = await harness.app.inject({
        method: "PATCH",
        url: `/api/projects/${project.id}`,
        payload: { name: "z" },
      })
      expectError(rename, 409, "PROJECT_DELETED")
      const shown = (await harness.app.inject({ method: "GET", url: `/api/projects/${project.id}` })).json()
      assert.equal(shown.deletedAt, deleted.deletedAt)
      const restored = await harness.app.inject({
        method: "POST",
        url: `/api/projects/${project.id}/restore`,
      })
      assert.equal(restored.statusCode, 200)
      assert.equal(restored.json().deletedAt, null)
      assert.equal(restored.json().purgeAfter, null)
      const again = await harness.app.inject({ method: "POST", url: `/api/projects/${project.id}/restore` })
      expectError(again, 409, "PROJECT_NOT_DELETED")
      const types = (await events(project.id)).map((event) => event.type)
      assert.deepEqual(types, ["project.created", "project.deleted", "project.restored"])
      expectError(
        await harness.app.inject({ method: "DELETE", url: `/api/projects/${unknownId}` }),
        404,
        "PROJECT_NOT_FOUND",
      )
      const restoreUnknown = await harness.app.inject({
        method: "POST",
        url: `/api/projects/${unknownId}/restore`,
      })
      expectError(restoreUnknown, 404, "PROJECT_NOT_FOUND")
    })

    test("restore takes no body", async () => {
      const project = await createProject(harness.app, "No body")
      const response = await harness.app.inject({
        method: "POST",
        url: `/api/projects/${project.id}/restore`,
        payload: { force: true },
      })
      assert.deepEqual(failedFields(expectError(response, 400, "VALIDATION_FAILED")), ["force"])
    })

    test("GET /api/projects pages newest first and filters by name and deletion", async () => {
      const names = ["List A", "List B", "List C"]
      const created: Project[] = []
      for (const name of names) created.push(await createProject(harness.app, name))
      await harness.app.inject({ method: "DELETE", url: `/api/projects/${created[1]!.id}` })
      const page = await harness.app.inject({ method: "GET", url: "/api/projects?q=list%20&limit=1" })
      assert.equal(page.statusCode, 200)
      assert.deepEqual(
        page.json().items.map((project: Project) => project.name),
        ["List C"],
      )
      const cursor = page.json().nextCursor
      assert.ok(cursor)
      const next = await harness.app.inject({
        method: "GET",
        url: `/api/projects?q=list%20&limit=1&cursor=${encodeURIComponent(cursor)}`,
      })
      assert.deepEqual(
        next.json().items.map((project: Project) => project.name),
        ["List A"],
      )
      assert.equal(next.json().nextCursor, null)
      const only = await harness.app.inject({ method: "GET", url: "/api/projects?q=list&deleted=only" })
      assert.deepEqual(
        only.json().items.map((project: Project) => project.name),
        ["List B"],
      )
      const all = await harness.app.inject({ method: "GET", url: "/api/projects?q=list&deleted=include" })
      assert.equal(all.json().items.length, 3)
    })

    test("list queries are strict: unknown parameters and out-of-range limits are named", async () => {
      for (const [query, field] of [
        ["limit=0", "limit"],
        ["limit=500", "limit"],
        ["limit=ten", "limit"],
        ["deleted=maybe", "deleted"],
        ["sort=name", "sort"],
      ]) {
        const response = await harness.app.inject({ method: "GET", url: `/api/projects?${query}` })
        assert.deepEqual(failedFields(expectError(response, 400, "VALIDATION_FAILED")), [field], query)
      }
      const forged = await harness.app.inject({ method: "GET", url: "/api/projects?cursor=forged" })
      expectError(forged, 400, "VALIDATION_FAILED")
    })
  })
}
