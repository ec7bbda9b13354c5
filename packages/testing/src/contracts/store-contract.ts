import assert from "node:assert/strict"
import { randomBytes } from "node:crypto"
import { after, before, describe, it } from "node:test"
import { newId } from "@xionimus/kit"
import type { Project, ProjectListQuery } from "@xionimus/protocol"
import type { ProjectRepository, Store } from "@xionimus/store"

const dayMs = 86_400_000
const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** A word no other test uses: names carry it and lists filter by it, so tests share one database. */
function token(): string {
  return `t${randomBytes(5).toString("hex")}`
}

function query(overrides: Partial<ProjectListQuery>): ProjectListQuery {
  return { limit: 50, deleted: "exclude", ...overrides }
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: { code?: string }) => {
    assert.equal(error.code, code)
    return true
  })
}

/**
 * What every Store (SQLite and PostgreSQL) must do with projects, plus what spans repositories.
 * `open` is called once for the suite; each test names its projects with a token of its own.
 */
export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store
    let projects: ProjectRepository
    before(async () => {
      store = await open()
      projects = store.projects
    })
    after(() => store?.close())

    const create = (name: string) => projects.create({ id: newId("prj"), name, source: { kind: "empty" } })

    it("answers ping and a second migrate applies nothing", async () => {
      await store.ping()
      assert.deepEqual(await store.migrate(), { applied: [] })
    })

    it("creates a live project with ISO times and reads it back", async () => {
      const source = { kind: "template", template: "node-ts" } as const
      const created = await projects.create({ id: newId("prj"), name: `${token()} Demo`, source })
      assert.match(created.createdAt, isoTime)
      assert.equal(created.updatedAt, created.createdAt)
      assert.equal(created.deletedAt, null)
      assert.equal(created.purgeAfter, null)
      assert.deepEqual(created.source, source)
      assert.deepEqual(await projects.get(created.id), created)
      assert.equal(await projects.get(newId("prj")), undefined)
    })

    it("refuses a name a live project has, ignoring case (also beyond ASCII)", async () => {
      const word = token()
      await create(`${word} Ärger`)
      await rejectsWith(create(`${word} äRGER`), "PROJECT_NAME_TAKEN")
    })

    it("frees the name of a deleted project; restoring it while the name is taken is refused", async () => {
      const name = `${token()} Reused`
      const old = await create(name)
      await projects.softDelete(old.id, 30)
      const newer = await create(name.toUpperCase())
      await rejectsWith(projects.restore(old.id), "PROJECT_NAME_TAKEN")
      await projects.softDelete(newer.id, 30)
      assert.equal((await projects.restore(old.id)).deletedAt, null)
    })

    it("renames a live project and refuses unknown, deleted and taken ones", async () => {
      const word = token()
      const project = await create(`${word} one`)
      await create(`${word} two`)
      const renamed = await projects.rename(project.id, `${word} ONE`)
      assert.equal(renamed.name, `${word} ONE`)
      assert.ok(renamed.updatedAt >= project.updatedAt)
      await rejectsWith(projects.rename(project.id, `${word} Two`), "PROJECT_NAME_TAKEN")
      await rejectsWith(projects.rename(newId("prj"), `${word} three`), "PROJECT_NOT_FOUND")
      await projects.softDelete(project.id, 1)
      await rejectsWith(projects.rename(project.id, `${word} three`), "PROJECT_DELETED")
    })

    it("soft-deletes with purgeAfter = deletedAt + N days, once", async () => {
      const project = await create(`${token()} doomed`)
      const deleted = await projects.softDelete(project.id, 7)
      assert.match(deleted.deletedAt ?? "", isoTime)
      assert.equal(Date.parse(deleted.purgeAfter ?? "") - Date.parse(deleted.deletedAt ?? ""), 7 * dayMs)
      assert.deepEqual(await projects.get(project.id), deleted)
      await rejectsWith(projects.softDelete(project.id, 7), "PROJECT_DELETED")
      await rejectsWith(projects.softDelete(newId("prj"), 7), "PROJECT_NOT_FOUND")
    })

    it("restores a deleted project and refuses live and unknown ones", async () => {
      const project = await create(`${token()} back`)
      await rejectsWith(projects.restore(project.id), "PROJECT_NOT_DELETED")
      await projects.softDelete(project.id, 3)
      const restored = await projects.restore(project.id)
      assert.equal(restored.deletedAt, null)
      assert.equal(restored.purgeAfter, null)
      await rejectsWith(projects.restore(newId("prj")), "PROJECT_NOT_FOUND")
    })

    it("lists newest first in pages joined by an opaque cursor", async () => {
      const word = token()
      const created: Project[] = []
      for (let index = 0; index < 5; index++) created.push(await create(`${word} ${index}`))
      const seen: Project[] = []
      let cursor: string | undefined
      const pageSizes: number[] = []
      do {
        const page = await projects.list(query({ q: word, limit: 2, ...(cursor ? { cursor } : {}) }))
        pageSizes.push(page.items.length)
        seen.push(...page.items)
        cursor = page.nextCursor ?? undefined
      } while (cursor)
      assert.deepEqual(pageSizes, [2, 2, 1])
      assert.deepEqual(
        seen.map((project) => project.id),
        created.map((project) => project.id).reverse(),
      )
    })

    it("lists live, deleted or all projects", async () => {
      const word = token()
      const live = await create(`${word} live`)
      const gone = await create(`${word} gone`)
      await projects.softDelete(gone.id, 30)
      const ids = async (deleted: ProjectListQuery["deleted"]) =>
        (await projects.list(query({ q: word, deleted }))).items.map((project) => project.id).sort()
      assert.deepEqual(await ids("exclude"), [live.id])
      assert.deepEqual(await ids("only"), [gone.id])
      assert.deepEqual(await ids("include"), [live.id, gone.id].sort())
    })

    it("filters by a case-insensitive substring in which % and _ are plain characters", async () => {
      const word = token()
      const percent = await create(`${word} 100% Done`)
      await create(`${word} 1000 done`)
      const underscore = await create(`${word}_x`)
      await create(`${word}ax`)
      const names = async (q: string) =>
        (await projects.list(query({ q }))).items.map((project) => project.id)
      assert.deepEqual(await names(`${word} 100% DONE`.toUpperCase()), [percent.id])
      assert.deepEqual(await names(`${word}_`), [underscore.id])
    })

    it("refuses a cursor it did not write", async () => {
      await rejectsWith(projects.list(query({ cursor: "not-a-cursor" })), "VALIDATION_FAILED")
    })

    it("lists deleted projects whose purge time has come", async () => {
      const word = token()
      const soon = await projects.softDelete((await create(`${word} soon`)).id, 0)
      const later = await projects.softDelete((await create(`${word} later`)).id, 30)
      const purgeable = async (at: number) =>
        (await projects.listPurgeable(new Date(at), 100_000)).map((project) => project.id)
      const now = Date.parse(later.deletedAt ?? "")
      const first = await purgeable(now + 1000)
      assert.ok(first.includes(soon.id))
      assert.ok(!first.includes(later.id))
      const second = await purgeable(now + 31 * dayMs)
      assert.ok(second.includes(soon.id) && second.includes(later.id))
    })

    it("purges a project together with its activity stream", async () => {
      const project = await create(`${token()} purged`)
      await store.events.append(project.id, [{ id: newId("evt"), type: "project.created", data: {} }])
      await projects.softDelete(project.id, 0)
      await projects.purge(project.id)
      assert.equal(await projects.get(project.id), undefined)
      assert.equal(await store.events.head(project.id), 0)
      await projects.purge(project.id)
    })
  })
}
