import assert from "node:assert/strict"
import { createHash, randomBytes } from "node:crypto"
import { after, before, describe, it } from "node:test"
import { newId } from "@xionimus/kit"
import type { SessionListQuery } from "@xionimus/protocol"
import type { SessionRecord, SessionRepository, ShareRecord, Store } from "@xionimus/store"

/** A clock the suite moves by hand, so that update times tie and leases expire on cue. */
export interface ManualClock {
  now: () => Date
  set(time: string): void
  advance(ms: number): void
}

function manualClock(start = "2026-11-22T10:00:00.000Z"): ManualClock {
  let time = Date.parse(start)
  return {
    now: () => new Date(time),
    set: (value) => {
      time = Date.parse(value)
    },
    advance: (ms) => {
      time += ms
    },
  }
}

function listQuery(overrides: Partial<SessionListQuery> = {}): SessionListQuery {
  return { limit: 50, ...overrides }
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: { code?: string }) => {
    assert.equal(error.code, code)
    return true
  })
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex")

/**
 * What every Store (SQLite and PostgreSQL) must do with sessions, leases, shares and permission
 * settings. `open` gets the clock the store must write with; each test uses a project of its own.
 */
export function sessionStoreContract(name: string, open: (clock: () => Date) => Promise<Store>): void {
  describe(`Session store contract: ${name}`, () => {
    const clock = manualClock()
    let store: Store
    let sessions: SessionRepository
    before(async () => {
      store = await open(clock.now)
      sessions = store.sessions
    })
    after(() => store?.close())

    const create = (projectId: string, fields: { title?: string; tags?: string[] } = {}) =>
      sessions.create({
        id: newId("ses"),
        projectId,
        title: fields.title ?? "Untitled",
        model: null,
        createdBy: "usr_1",
        ...(fields.tags ? { tags: fields.tags } : {}),
      })
    const ids = (items: readonly SessionRecord[]) => items.map((item) => item.id)
    const titles = async (projectId: string, query: Partial<SessionListQuery>) =>
      (await sessions.list(projectId, listQuery(query))).items.map((item) => item.title).sort()

    it("creates an idle session with empty usage, reads it back and refuses a duplicate id", async () => {
      clock.set("2026-11-22T10:00:00.000Z")
      const projectId = newId("prj")
      const forkedFrom = { sessionId: newId("ses"), seq: 7 }
      const created = await sessions.create({
        id: newId("ses"),
        projectId,
        title: "Fix the build",
        model: "openai/gpt-4o",
        tags: ["ci", "Build"],
        createdBy: null,
        forkedFrom,
      })
      assert.deepEqual(created, {
        id: created.id,
        projectId,
        title: "Fix the build",
        tags: ["ci", "Build"],
        pinned: false,
        archived: false,
        runState: "idle",
        model: "openai/gpt-4o",
        forkedFrom,
        usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, costUsd: 0 },
        createdBy: null,
        createdAt: "2026-11-22T10:00:00.000Z",
        updatedAt: "2026-11-22T10:00:00.000Z",
      })
      assert.deepEqual(await sessions.get(created.id), created)
      assert.equal(await sessions.get(newId("ses")), undefined)
      await rejectsWith(
        sessions.create({ id: created.id, projectId, title: "again", model: null, createdBy: null }),
        "VALIDATION_FAILED",
      )
    })

    it("updates fields, bumps updatedAt and refuses unknown sessions", async () => {
      clock.set("2026-11-22T11:00:00.000Z")
      const session = await create(newId("prj"))
      clock.advance(1000)
      const updated = await sessions.update(session.id, {
        title: "Renamed",
        model: "anthropic/claude",
        tags: ["x"],
        pinned: true,
      })
      assert.equal(updated.title, "Renamed")
      assert.equal(updated.model, "anthropic/claude")
      assert.deepEqual(updated.tags, ["x"])
      assert.equal(updated.pinned, true)
      assert.equal(updated.updatedAt, "2026-11-22T11:00:01.000Z")
      assert.equal((await sessions.update(session.id, { model: null })).model, null)
      clock.advance(1000)
      await sessions.setRunState(session.id, "running")
      const running = await sessions.get(session.id)
      assert.equal(running?.runState, "running")
      assert.equal(running?.updatedAt, "2026-11-22T11:00:02.000Z")
      await rejectsWith(sessions.update(newId("ses"), { title: "x" }), "SESSION_NOT_FOUND")
      await rejectsWith(sessions.setRunState(newId("ses"), "idle"), "SESSION_NOT_FOUND")
    })

    it("pages pinned first, then newest update, without duplicates or holes, also across equal times", async () => {
      const projectId = newId("prj")
      const created: SessionRecord[] = []
      for (let index = 0; index < 37; index++) {
        // Groups of four share one update time: the id breaks the tie.
        clock.set(
          new Date(Date.parse("2026-11-22T12:00:00.000Z") + Math.floor(index / 4) * 1000).toISOString(),
        )
        created.push(await create(projectId, { title: `session ${index}` }))
      }
      clock.set("2026-11-22T12:30:00.000Z")
      const pinned = [created[3]!, created[20]!, created[33]!]
      for (const session of pinned) await sessions.update(session.id, { pinned: true })
      await create(newId("prj"), { title: "another project" })

      const pinnedIds = new Set(ids(pinned))
      // Ids of one time differ early in their hex time part, so any collation orders them alike.
      const expected = (await Promise.all(created.map((session) => sessions.get(session.id))))
        .map((session) => session as SessionRecord)
        .sort((a, b) =>
          a.pinned !== b.pinned
            ? Number(b.pinned) - Number(a.pinned)
            : a.updatedAt !== b.updatedAt
              ? b.updatedAt.localeCompare(a.updatedAt)
              : a.id < b.id
                ? 1
                : -1,
        )
      const seen: SessionRecord[] = []
      const sizes: number[] = []
      let cursor: string | undefined
      do {
        const page = await sessions.list(projectId, listQuery({ limit: 5, ...(cursor ? { cursor } : {}) }))
        sizes.push(page.items.length)
        seen.push(...page.items)
        cursor = page.nextCursor ?? undefined
      } while (cursor)
      assert.deepEqual(sizes, [5, 5, 5, 5, 5, 5, 5, 2])
      assert.equal(new Set(ids(seen)).size, 37)
      assert.deepEqual(ids(seen), ids(expected))
      assert.ok(
        seen.slice(0, 3).every((session) => pinnedIds.has(session.id)),
        "the pinned sessions come first",
      )
    })

    it("refuses a cursor it did not write", async () => {
      await rejectsWith(
        sessions.list(newId("prj"), listQuery({ cursor: "bm90LWEtY3Vyc29y" })),
        "VALIDATION_FAILED",
      )
    })

    it("searches title and indexed text case-insensitively, with % and _ as plain characters", async () => {
      const projectId = newId("prj")
      await create(projectId, { title: "100% Done" })
      await create(projectId, { title: "1000 done" })
      await create(projectId, { title: "snake_case" })
      await create(projectId, { title: "snakeXcase" })
      const indexed = await create(projectId, { title: "quiet" })
      await sessions.indexText(indexed.id, "Der Ärger mit dem Build")
      await sessions.indexText(indexed.id, "second message about 50% of tests")
      assert.deepEqual(await titles(projectId, { q: "100% DONE" }), ["100% Done"])
      assert.deepEqual(await titles(projectId, { q: "%" }), ["100% Done", "quiet"])
      assert.deepEqual(await titles(projectId, { q: "e_c" }), ["snake_case"])
      assert.deepEqual(await titles(projectId, { q: "äRGER" }), ["quiet"])
      assert.deepEqual(await titles(projectId, { q: "about 50" }), ["quiet"])
      assert.deepEqual(await titles(projectId, { q: "nothing like it" }), [])
      // The search text stops growing past 200,000 characters.
      const long = await create(projectId, { title: "long" })
      for (let index = 0; index < 11; index++)
        await sessions.indexText(long.id, `${"x".repeat(19_990)} part${index}`)
      await sessions.indexText(long.id, "too late")
      assert.deepEqual(await titles(projectId, { q: "part9" }), ["long"])
      assert.deepEqual(await titles(projectId, { q: "too late" }), [])
    })

    it("filters by one whole tag, ignoring case", async () => {
      const projectId = newId("prj")
      await create(projectId, { title: "a", tags: ["bug", "ui"] })
      await create(projectId, { title: "b", tags: ["bugfix"] })
      await create(projectId, { title: "c", tags: ["UI"] })
      await create(projectId, { title: "d" })
      const tagged = await create(projectId, { title: "e", tags: ["50%_done"] })
      assert.deepEqual(await titles(projectId, { tag: "bug" }), ["a"])
      assert.deepEqual(await titles(projectId, { tag: "ui" }), ["a", "c"])
      assert.deepEqual(await titles(projectId, { tag: "50%_done" }), ["e"])
      assert.deepEqual(await titles(projectId, { tag: "50" }), [])
      await sessions.update(tagged.id, { tags: [] })
      assert.deepEqual(await titles(projectId, { tag: "50%_done" }), [])
    })

    it("leaves archived sessions out unless asked for them", async () => {
      const projectId = newId("prj")
      const kept = await create(projectId, { title: "kept" })
      const archived = await create(projectId, { title: "archived" })
      const first = await sessions.update(archived.id, { archived: true })
      assert.equal(first.archived, true)
      assert.deepEqual(await titles(projectId, {}), ["kept"])
      assert.deepEqual(await titles(projectId, { archived: false }), ["kept"])
      assert.deepEqual(await titles(projectId, { archived: true }), ["archived"])
      await sessions.update(archived.id, { archived: false })
      assert.deepEqual(await titles(projectId, {}), ["archived", "kept"])
      assert.equal((await sessions.get(kept.id))?.archived, false)
    })

    it("adds usage per session and sums it per project", async () => {
      const projectId = newId("prj")
      const one = await create(projectId)
      const two = await create(projectId)
      const other = await create(newId("prj"))
      const usage = { inputTokens: 1000, outputTokens: 200, cachedInputTokens: 50, costUsd: 0.0125 }
      await sessions.addUsage(one.id, usage)
      await sessions.addUsage(one.id, usage)
      await sessions.addUsage(two.id, {
        inputTokens: 3_000_000_000,
        outputTokens: 1,
        cachedInputTokens: 0,
        costUsd: 1,
      })
      await sessions.addUsage(other.id, usage)
      assert.deepEqual((await sessions.get(one.id))?.usage, {
        inputTokens: 2000,
        outputTokens: 400,
        cachedInputTokens: 100,
        costUsd: 0.025,
      })
      assert.deepEqual(await sessions.projectUsage(projectId), {
        inputTokens: 3_000_002_000,
        outputTokens: 401,
        cachedInputTokens: 100,
        costUsd: 1.025,
      })
      assert.deepEqual(await sessions.projectUsage(newId("prj")), {
        inputTokens: 0,
        outputTokens: 0,
        cachedInputTokens: 0,
        costUsd: 0,
      })
    })

    it("lists a project's sessions whose turn is running, oldest change first", async () => {
      const projectId = newId("prj")
      const idle = await create(projectId, { title: "idle" })
      const first = await create(projectId, { title: "first" })
      const second = await create(projectId, { title: "second" })
      const elsewhere = await create(newId("prj"), { title: "elsewhere" })
      clock.set("2026-11-22T12:00:00.000Z")
      await sessions.setRunState(first.id, "running")
      clock.set("2026-11-22T12:00:01.000Z")
      await sessions.setRunState(second.id, "running")
      await sessions.setRunState(elsewhere.id, "running")
      await sessions.setRunState(idle.id, "paused")
      assert.deepEqual(await sessions.running(projectId, 10), [
        { id: first.id, title: "first" },
        { id: second.id, title: "second" },
      ])
      assert.deepEqual(await sessions.running(projectId, 1), [{ id: first.id, title: "first" }])
      await sessions.setRunState(first.id, "idle")
      assert.deepEqual(
        (await sessions.running(projectId, 10)).map((session) => session.id),
        [second.id],
      )
    })

    it("gives a session's lease to exactly one of two racing nodes", async () => {
      clock.set("2026-11-22T13:00:00.000Z")
      for (let round = 0; round < 10; round++) {
        const sessionId = newId("ses")
        const lease = (nodeId: string) => ({
          sessionId,
          turnId: `trn_${nodeId}`,
          nodeId,
          expiresAt: "2026-11-22T13:00:15.000Z",
        })
        const results = await Promise.all([
          sessions.acquireLease(lease("node_a")),
          sessions.acquireLease(lease("node_b")),
        ])
        assert.equal(results.filter(Boolean).length, 1, `round ${round}: ${results}`)
      }
    })

    it("takes an expired lease, renews only the holder's unexpired lease, and lists expired ones", async () => {
      clock.set("2026-11-22T14:00:00.000Z")
      const sessionId = newId("ses")
      const a = { sessionId, turnId: "trn_a", nodeId: "node_a", expiresAt: "2026-11-22T14:00:15.000Z" }
      const b = { sessionId, turnId: "trn_b", nodeId: "node_b", expiresAt: "2026-11-22T14:00:40.000Z" }
      assert.equal(await sessions.acquireLease(a), true)
      assert.equal(await sessions.acquireLease(b), false, "unexpired: another node cannot take it")
      assert.equal(await sessions.acquireLease({ ...a, expiresAt: "2026-11-22T14:00:20.000Z" }), true)
      assert.equal(await sessions.renewLease({ ...b, expiresAt: "2026-11-22T14:01:00.000Z" }), false)
      assert.equal(
        await sessions.renewLease({ ...a, turnId: "trn_other", expiresAt: "2026-11-22T14:01:00.000Z" }),
        false,
        "the same node with another turn does not hold it",
      )
      assert.equal(await sessions.renewLease({ ...a, expiresAt: "2026-11-22T14:00:30.000Z" }), true)
      assert.deepEqual(
        (await sessions.expiredLeases("2026-11-22T14:00:29.000Z", 1000)).filter(
          (lease) => lease.sessionId === sessionId,
        ),
        [],
      )
      clock.set("2026-11-22T14:00:31.000Z")
      assert.deepEqual(
        (await sessions.expiredLeases("2026-11-22T14:00:31.000Z", 1000)).filter(
          (lease) => lease.sessionId === sessionId,
        ),
        [{ ...a, expiresAt: "2026-11-22T14:00:30.000Z" }],
      )
      assert.equal(
        await sessions.renewLease({ ...a, expiresAt: "2026-11-22T14:01:00.000Z" }),
        false,
        "expired",
      )
      assert.equal(await sessions.acquireLease(b), true, "an expired lease can be taken")
      await sessions.releaseLease(sessionId, "trn_a")
      assert.equal(
        await sessions.acquireLease({ ...a, expiresAt: "2026-11-22T14:02:00.000Z" }),
        false,
        "release of another turn does nothing",
      )
      await sessions.releaseLease(sessionId, "trn_b")
      assert.equal(await sessions.acquireLease({ ...a, expiresAt: "2026-11-22T14:02:00.000Z" }), true)
    })

    it("stores share links by token hash, lists and revokes them", async () => {
      clock.set("2026-11-22T15:00:00.000Z")
      const session = await create(newId("prj"))
      const token = `xs_${randomBytes(32).toString("base64url")}`
      const share: ShareRecord = {
        id: newId("shr"),
        sessionId: session.id,
        tokenHash: sha256(token),
        createdBy: "usr_1",
        createdAt: "2026-11-22T15:00:00.000Z",
        expiresAt: "2026-11-29T15:00:00.000Z",
        revokedAt: null,
      }
      assert.deepEqual(await sessions.createShare(share), share)
      const second = {
        ...share,
        id: newId("shr"),
        tokenHash: sha256(`${token}2`),
        createdAt: "2026-11-22T15:00:01.000Z",
      }
      await sessions.createShare(second)
      assert.deepEqual(await sessions.findShare(sha256(token)), share)
      assert.equal(await sessions.findShare(sha256("xs_unknown")), undefined)
      assert.deepEqual(await sessions.listShares(session.id), [second, share])
      await assert.rejects(sessions.createShare({ ...share, id: newId("shr") }), "the token hash is unique")
      const revoked = await sessions.revokeShare(session.id, share.id, "2026-11-22T16:00:00.000Z")
      assert.equal(revoked.revokedAt, "2026-11-22T16:00:00.000Z")
      const again = await sessions.revokeShare(session.id, share.id, "2026-11-22T17:00:00.000Z")
      assert.equal(again.revokedAt, "2026-11-22T16:00:00.000Z", "revoking twice keeps the first time")
      assert.equal((await sessions.findShare(sha256(token)))?.revokedAt, "2026-11-22T16:00:00.000Z")
      const stranger = await create(newId("prj"))
      await rejectsWith(
        sessions.revokeShare(stranger.id, second.id, "2026-11-22T16:00:00.000Z"),
        "SHARE_NOT_FOUND",
      )
      await rejectsWith(
        sessions.revokeShare(session.id, newId("shr"), "2026-11-22T16:00:00.000Z"),
        "SHARE_NOT_FOUND",
      )
    })

    it("removes a session with its event stream, shares and lease, and nothing else", async () => {
      clock.set("2026-11-22T18:00:00.000Z")
      const projectId = newId("prj")
      const doomed = await create(projectId)
      const kept = await create(projectId)
      for (const session of [doomed, kept])
        await store.events.append(session.id, [
          { id: newId("evt"), type: "session.created", data: { projectId } },
          { id: newId("evt"), type: "message.created", data: { text: "hi" } },
        ])
      const tokenHash = sha256(randomBytes(8).toString("hex"))
      await sessions.createShare({
        id: newId("shr"),
        sessionId: doomed.id,
        tokenHash,
        createdBy: null,
        createdAt: "2026-11-22T18:00:00.000Z",
        expiresAt: "2026-11-23T18:00:00.000Z",
        revokedAt: null,
      })
      const lease = {
        sessionId: doomed.id,
        turnId: "trn_1",
        nodeId: "node_a",
        expiresAt: "2026-11-22T18:10:00.000Z",
      }
      assert.equal(await sessions.acquireLease(lease), true)
      await sessions.remove(doomed.id)
      assert.equal(await sessions.get(doomed.id), undefined)
      assert.equal(await store.events.head(doomed.id), 0)
      assert.deepEqual(await store.events.read(doomed.id, { after: 0, limit: 10 }), [])
      assert.equal(await sessions.findShare(tokenHash), undefined)
      assert.equal(await sessions.acquireLease({ ...lease, nodeId: "node_b", turnId: "trn_2" }), true)
      assert.equal(await store.events.head(kept.id), 2)
      assert.deepEqual(ids((await sessions.list(projectId, listQuery())).items), [kept.id])
      // A new stream under the removed id starts at seq 1 again.
      const [event] = await store.events.append(doomed.id, [
        { id: newId("evt"), type: "session.created", data: {} },
      ])
      assert.equal(event?.seq, 1)
      await sessions.remove(newId("ses"))
    })

    it("purging a project removes its sessions with their streams and shares, and only those", async () => {
      const project = await store.projects.create({
        id: newId("prj"),
        name: `purged ${randomBytes(5).toString("hex")}`,
        source: { kind: "empty" },
      })
      const doomed = await create(project.id)
      const kept = await create(newId("prj"))
      for (const session of [doomed, kept])
        await store.events.append(session.id, [{ id: newId("evt"), type: "session.created", data: {} }])
      const tokenHash = sha256(randomBytes(8).toString("hex"))
      await sessions.createShare({
        id: newId("shr"),
        sessionId: doomed.id,
        tokenHash,
        createdBy: null,
        createdAt: "2026-11-22T18:00:00.000Z",
        expiresAt: "2030-01-01T00:00:00.000Z",
        revokedAt: null,
      })
      await store.projects.softDelete(project.id, 0)
      await store.projects.purge(project.id)
      assert.equal(await sessions.get(doomed.id), undefined)
      assert.equal(await store.events.head(doomed.id), 0)
      assert.equal(await sessions.findShare(tokenHash), undefined)
      assert.equal((await sessions.get(kept.id))?.id, kept.id)
      assert.equal(await store.events.head(kept.id), 1)
    })

    it("keeps the permission settings of projects and users apart and replaces them whole", async () => {
      clock.set("2026-11-22T19:00:00.000Z")
      const ownerId = newId("prj")
      assert.equal(await store.permissionSettings.get("project", ownerId), undefined)
      const rules = [
        { tool: "run", pattern: "npm test*", action: "allow" as const },
        { tool: "*", pattern: "secrets/**", action: "deny" as const },
      ]
      const saved = await store.permissionSettings.put("project", ownerId, { mode: "auto-edit", rules })
      assert.deepEqual(saved, { mode: "auto-edit", rules, updatedAt: "2026-11-22T19:00:00.000Z" })
      assert.deepEqual(await store.permissionSettings.get("project", ownerId), saved)
      assert.equal(await store.permissionSettings.get("user", ownerId), undefined)
      clock.advance(5000)
      await store.permissionSettings.put("project", ownerId, { mode: null, rules: [] })
      assert.deepEqual(await store.permissionSettings.get("project", ownerId), {
        mode: null,
        rules: [],
        updatedAt: "2026-11-22T19:00:05.000Z",
      })
    })
  })
}
