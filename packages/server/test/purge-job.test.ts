import assert from "node:assert/strict"
import { access, mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, beforeEach, describe, test } from "node:test"
import { Config } from "@xionimus/config"
import { newId, silentLogger } from "@xionimus/kit"
import { checkpointGitDir, createCheckpoints } from "@xionimus/workspace"
import { createPurgeJob, createServices, type Services } from "../src/index.ts"

describe("purge job", () => {
  let dir: string
  let services: Services
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "xionimus-purge-"))
    services = await createServices(Config.parse({ dataDir: dir }), silentLogger())
  })
  afterEach(async () => {
    await services.close()
    await rm(dir, { recursive: true, force: true })
  })

  async function project(name: string): Promise<string> {
    const id = newId("prj")
    await services.workspaces.create(id, { kind: "empty" })
    await services.store.projects.create({ id, name, source: { kind: "empty" } })
    await services.bus.append(id, [{ id: newId("evt"), type: "project.created", data: {} }])
    return id
  }

  test("removes deleted projects past purgeAfter (directory, then row); keeps the rest", async () => {
    const expired = await project("Expired")
    const restorable = await project("Restorable")
    const live = await project("Live")
    await services.store.projects.softDelete(expired, 0)
    await services.store.projects.softDelete(restorable, 30)
    const job = createPurgeJob({ ...services, logger: silentLogger(), intervalMs: 60_000 })

    const { purged } = await job.runOnce(new Date(Date.now() + 1000))
    assert.deepEqual(purged, [expired])
    assert.equal(await services.store.projects.get(expired), undefined)
    assert.equal(await services.workspaces.exists(expired), false)
    assert.ok(await services.store.projects.get(restorable))
    assert.ok(await services.workspaces.exists(restorable))
    assert.ok(await services.workspaces.exists(live))
    assert.deepEqual(await job.runOnce(new Date(Date.now() + 1000)), { purged: [] })
  })

  test("the project's checkpoints and sessions go with it", async () => {
    const id = await project("With history")
    const gitDir = checkpointGitDir(services.workspaces.root, id)
    await createCheckpoints({ workspace: join(services.workspaces.root, id), gitDir }).record({
      message: "first",
    })
    await access(gitDir)
    const session = await services.sessions.create({ projectId: id, createdBy: null })
    await services.store.projects.softDelete(id, 0)
    const job = createPurgeJob({ ...services, logger: silentLogger(), intervalMs: 60_000 })
    assert.deepEqual((await job.runOnce(new Date(Date.now() + 1000))).purged, [id])
    await assert.rejects(access(gitDir), { code: "ENOENT" })
    assert.equal(await services.store.sessions.get(session.id), undefined)
    assert.equal(await services.store.events.head(session.id), 0)
  })

  test("a row whose directory is already gone is purged too", async () => {
    const id = await project("No directory")
    await services.store.projects.softDelete(id, 0)
    await services.workspaces.remove(id)
    const job = createPurgeJob({ ...services, logger: silentLogger(), intervalMs: 60_000 })
    assert.deepEqual((await job.runOnce(new Date(Date.now() + 1000))).purged, [id])
  })

  test("start() runs on an interval; dispose() stops it", async () => {
    const id = await project("Timed")
    await services.store.projects.softDelete(id, 0)
    const job = createPurgeJob({ ...services, logger: silentLogger(), intervalMs: 5 })
    job.start()
    assert.equal(job.running, true)
    for (let tries = 0; await services.store.projects.get(id); tries++) {
      assert.ok(tries < 2000, "the interval never purged")
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await job.dispose()
    assert.equal(job.running, false)
  })
})
