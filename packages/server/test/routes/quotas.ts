import assert from "node:assert/strict"
import type { AddressInfo } from "node:net"
import { after, before, describe, test } from "node:test"
import type { ExecStarted, QuotaReport } from "@xionimus/protocol"
import type { ExecResult, Sandbox } from "@xionimus/sandbox"
import { meteredSandboxHost } from "../../src/quotas/metered-sandbox-host.ts"
import type { SandboxHost } from "../../src/sandbox-host.ts"
import { expectError } from "../support/expect-error.ts"
import { connectFrames } from "../support/frame-client.ts"
import { createTeamFixture, type TeamFixture } from "../support/team-fixture.ts"
import { createTestApp, type TestApp } from "../support/test-app.ts"

const usageRow = (fields: { userId?: string; teamId?: string; costUsd: number }) => ({
  time: new Date().toISOString(),
  provider: "openai",
  model: "gpt-4o",
  inputTokens: 1000,
  outputTokens: 100,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  costUsd: fields.costUsd,
  latencyMs: 10,
  outcome: "ok" as const,
  ...(fields.userId ? { userId: fields.userId } : {}),
  ...(fields.teamId ? { teamId: fields.teamId } : {}),
})

export function quotaTests(): void {
  describe("quotas per user and team", () => {
    let harness: TestApp
    let fixture: TeamFixture
    before(async () => {
      harness = await createTestApp({
        config: {
          quotas: {
            user: { modelUsdPerDay: 1, sandboxCpuSecondsPerDay: 3600 },
            team: { modelUsdPerMonth: 10, storageBytes: 1024 * 1024 },
          },
        },
      })
      fixture = await createTeamFixture(harness, "quota")
    })
    after(() => harness.close())

    const report = async (url: string, headers: Record<string, string>) => {
      const response = await harness.app.inject({ method: "GET", url, headers })
      assert.equal(response.statusCode, 200, response.body)
      return response.json() as QuotaReport
    }
    const quota = (answer: QuotaReport, name: string) => answer.quotas.find((item) => item.name === name)!

    test("model spend: the user's daily quota and the team's monthly quota refuse calls with QUOTA_EXCEEDED", async () => {
      const user = fixture.editor.id
      assert.equal((await harness.services.llm.checkBudget({ userId: user })).allowed, true)
      await harness.services.store.usage.record(usageRow({ userId: user, costUsd: 1.25 }))
      const verdict = await harness.services.llm.checkBudget({ userId: user, projectId: fixture.projectId })
      assert.equal(verdict.allowed, false)
      assert.equal(verdict.code, "QUOTA_EXCEEDED")
      assert.deepEqual(
        { ...verdict.details, resetsAt: undefined },
        {
          quota: "modelUsdPerDay",
          scope: "user",
          id: user,
          used: 1.25,
          limit: 1,
          unit: "usd",
          resetsAt: undefined,
        },
      )
      assert.match(verdict.message ?? "", /model spend per day quota of \$1\.00 is used up/)
      const mine = await report("/api/me/quotas", fixture.editor.headers)
      assert.deepEqual(
        mine.quotas.map((item) => [item.name, item.used, item.limit]),
        [
          ["modelUsdPerDay", 1.25, 1],
          ["modelUsdPerMonth", 1.25, null],
          ["sandboxCpuSecondsPerDay", 0, 3600],
        ],
      )
      // The team: another member's call in the team's project is refused once the team's month is spent.
      const viewer = fixture.viewer.id
      const scope = { userId: viewer, teamId: fixture.teamId, projectId: fixture.projectId }
      assert.equal((await harness.services.llm.checkBudget(scope)).allowed, true)
      await harness.services.store.usage.record(usageRow({ teamId: fixture.teamId, costUsd: 10 }))
      const teamVerdict = await harness.services.llm.checkBudget(scope)
      assert.equal(teamVerdict.code, "QUOTA_EXCEEDED")
      assert.equal(teamVerdict.details?.quota, "modelUsdPerMonth")
      assert.equal(teamVerdict.details?.scope, "team")
    })

    test("administrators override a team's quotas; members read them, others cannot", async () => {
      const url = `/api/teams/${fixture.teamId}/quotas`
      const refused = await harness.app.inject({
        method: "PUT",
        url,
        headers: fixture.owner.headers,
        payload: { storageBytes: 1 },
      })
      expectError(refused, 403, "FORBIDDEN")
      const changed = await harness.app.inject({
        method: "PUT",
        url,
        payload: { modelUsdPerMonth: null, sandboxCpuSecondsPerDay: 0 },
      })
      assert.equal(changed.statusCode, 200, changed.body)
      const seen = await report(url, fixture.viewer.headers)
      assert.equal(quota(seen, "modelUsdPerMonth").limit, null)
      assert.equal(quota(seen, "sandboxCpuSecondsPerDay").limit, 0)
      assert.equal(quota(seen, "storageBytes").limit, 1024 * 1024)
      assert.ok(quota(seen, "modelUsdPerDay").resetsAt)
      expectError(
        await harness.app.inject({ method: "GET", url, headers: fixture.stranger.headers }),
        404,
        "TEAM_NOT_FOUND",
      )
      const audit = await harness.services.auth.listAudit({ action: "team.quotas.changed", limit: 5 })
      assert.equal(audit.items[0]?.target, fixture.teamId)
      // The monthly spend quota is lifted for this team: calls go through again.
      const verdict = await harness.services.llm.checkBudget({
        userId: fixture.viewer.id,
        projectId: fixture.projectId,
      })
      assert.equal(verdict.allowed, true)
    })

    test("sandbox CPU time: runs are counted per user and team; a used-up quota refuses the next run", async () => {
      const exec = (headers: Record<string, string>, projectId: string) =>
        harness.app.inject({
          method: "POST",
          url: `/api/projects/${projectId}/exec`,
          headers,
          payload: { command: "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done", wait: true },
        })
      // Team A's override is 0 CPU seconds a day: its members may not run anything.
      const refused = expectError(
        await exec(fixture.editor.headers, fixture.projectId),
        429,
        "QUOTA_EXCEEDED",
      )
      assert.deepEqual(
        (refused.error.details as { quota: string; scope: string }).quota,
        "sandboxCpuSecondsPerDay",
      )
      // The stranger's own team has the configured limits: the run is counted.
      const project = await harness.app.inject({
        method: "POST",
        url: "/api/projects",
        headers: fixture.stranger.headers,
        payload: { name: "Stranger's runs" },
      })
      const strangerProject = (project.json() as { id: string }).id
      const ran = await exec(fixture.stranger.headers, strangerProject)
      assert.equal(ran.statusCode, 200, ran.body)
      const cpuMs = (ran.json() as ExecStarted).result?.usage.cpuMs ?? 0
      const mine = await report("/api/me/quotas", fixture.stranger.headers)
      assert.equal(quota(mine, "sandboxCpuSecondsPerDay").used, cpuMs / 1000)
      const team = await report(`/api/teams/${fixture.strangerTeamId}/quotas`, fixture.stranger.headers)
      assert.equal(quota(team, "sandboxCpuSecondsPerDay").used, cpuMs / 1000)
      // An hour of CPU later, the user's daily quota is used up in every team.
      await harness.services.quotas.recordSandbox({
        userId: fixture.stranger.id,
        projectId: strangerProject,
        cpuMs: 3600 * 1000,
      })
      const over = expectError(await exec(fixture.stranger.headers, strangerProject), 429, "QUOTA_EXCEEDED")
      assert.match(over.error.message, /Your sandbox CPU time per day quota/)
    })

    test("the agent's commands (the metered sandbox host) count towards the team's and the turn's user's CPU quota", async () => {
      const project = await harness.app.inject({
        method: "POST",
        url: "/api/projects",
        headers: fixture.viewer.headers,
        payload: { name: "Agent runs" },
      })
      const projectId = (project.json() as { id: string }).id
      const teamId = (await harness.services.store.teams.teamOfProject(projectId))!
      await harness.services.quotas.setTeamOverride(teamId, { sandboxCpuSecondsPerDay: 1 })
      let runs = 0
      // A sandbox at the process edge: every run reports 1.5 s of CPU.
      const sandbox = {
        projectId,
        exec: async () => {
          runs++
          return { usage: { cpuMs: 1500 } } as unknown as ExecResult
        },
        stream: () => {
          throw new Error("not used")
        },
        openTerminal: () => {
          throw new Error("not used")
        },
      } as unknown as Sandbox
      const host = {
        provider: () => Promise.reject(new Error("not used")),
        sandboxFor: async () => sandbox,
        runtimes: async () => [],
        close: async () => {},
      }
      const metered = meteredSandboxHost(host, harness.services.quotas, harness.logger)
      const run = async () => (await metered.sandboxFor(projectId)).exec({ command: { shell: "true" } })
      await run()
      await assert.rejects(run(), { code: "QUOTA_EXCEEDED" })
      assert.equal(runs, 1)
      const team = await report(`/api/teams/${teamId}/quotas`, fixture.viewer.headers)
      assert.equal(quota(team, "sandboxCpuSecondsPerDay").used, 1.5)
      assert.equal(
        quota(await report("/api/me/quotas", fixture.viewer.headers), "sandboxCpuSecondsPerDay").used,
        0,
      )

      // On a user's behalf (the user whose message started the turn) the run counts for them too, and
      // their own used-up quota refuses it.
      await harness.services.quotas.setTeamOverride(teamId, { sandboxCpuSecondsPerDay: 100_000 })
      const runAs = async () =>
        (await metered.sandboxFor(projectId, fixture.viewer.id)).exec({ command: { shell: "true" } })
      await runAs()
      assert.equal(
        quota(await report("/api/me/quotas", fixture.viewer.headers), "sandboxCpuSecondsPerDay").used,
        1.5,
      )
      await harness.services.quotas.recordSandbox({
        userId: fixture.viewer.id,
        projectId,
        cpuMs: 3600 * 1000,
      })
      await assert.rejects(runAs(), { code: "QUOTA_EXCEEDED" })
      await run()
      assert.equal(runs, 3, "a run on nobody's behalf still goes (the team has time left)")
    })

    test("storage: a write or upload that would take the team past its quota is refused and leaves nothing", async () => {
      await harness.app.inject({
        method: "PUT",
        url: `/api/teams/${fixture.teamId}/quotas`,
        payload: { storageBytes: 200 * 1024 },
      })
      const write = (path: string, bytes: number) =>
        harness.app.inject({
          method: "PUT",
          url: `/api/projects/${fixture.projectId}/files`,
          headers: fixture.editor.headers,
          payload: { path, content: "x".repeat(bytes) },
        })
      assert.equal((await write("small.txt", 1000)).statusCode, 200)
      const big = expectError(await write("big.txt", 300 * 1024), 429, "QUOTA_EXCEEDED")
      assert.equal((big.error.details as { quota: string }).quota, "storageBytes")
      const read = await harness.app.inject({
        method: "GET",
        url: `/api/projects/${fixture.projectId}/files?path=big.txt`,
        headers: fixture.editor.headers,
      })
      expectError(read, 404, "FILE_NOT_FOUND")
      const team = await report(`/api/teams/${fixture.teamId}/quotas`, fixture.editor.headers)
      assert.ok(quota(team, "storageBytes").used > 0)
      // A team whose storage is used up gets no new projects.
      await harness.app.inject({
        method: "PUT",
        url: `/api/teams/${fixture.teamId}/quotas`,
        payload: { storageBytes: 1 },
      })
      const created = await harness.app.inject({
        method: "POST",
        url: "/api/projects",
        headers: fixture.owner.headers,
        payload: { name: "One too many", teamId: fixture.teamId },
      })
      expectError(created, 429, "QUOTA_EXCEEDED")
    })
  })
  describe("terminal CPU time", () => {
    // This machine's cgroups may not measure CPU time (cpuacct mounted apart: cpuMs is null); the sandbox
    // is wrapped so that each terminal reports 1.5 s, and the test checks what the route does with it.
    let harness: TestApp
    let base: string
    before(async () => {
      harness = await createTestApp({
        config: { quotas: { user: { sandboxCpuSecondsPerDay: 3600 } } },
        wrapServices: (services) => ({ ...services, sandboxes: reportingCpu(services.sandboxes, 1500) }),
      })
      await harness.app.listen({ host: "127.0.0.1", port: 0 })
      base = `ws://127.0.0.1:${(harness.app.server.address() as AddressInfo).port}`
    })
    after(() => harness.close())

    test("a shell's CPU time counts for the user who opened it; a used-up quota refuses the next with an error frame", async () => {
      const used = async () => {
        const response = await harness.app.inject({ method: "GET", url: "/api/me/quotas" })
        const report = response.json() as QuotaReport
        return report.quotas.find((item) => item.name === "sandboxCpuSecondsPerDay")!.used
      }
      const project = await harness.app.inject({
        method: "POST",
        url: "/api/projects",
        payload: { name: "Shell" },
      })
      const url = `${base}/api/projects/${(project.json() as { id: string }).id}/terminal`
      assert.equal(await used(), 0)
      const client = await connectFrames(url, harness.ownerHeaders)
      client.send({ type: "input", data: "exit 0\n" })
      for (;;) {
        const frame = (await client.next()) as unknown as { type: string; exitCode?: number }
        if (frame.type !== "exit") continue
        assert.equal(frame.exitCode, 0)
        break
      }
      assert.equal((await client.closed).code, 1000)
      const deadline = Date.now() + 10_000
      while ((await used()) === 0 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20))
      assert.equal(await used(), 1.5)

      await harness.services.quotas.recordSandbox({
        userId: harness.ownerId,
        projectId: (project.json() as { id: string }).id,
        cpuMs: 3600 * 1000,
      })
      const refused = await connectFrames(url, harness.ownerHeaders)
      const frame = (await refused.next()) as unknown as { type: string; code: string; message: string }
      assert.deepEqual([frame.type, frame.code], ["error", "QUOTA_EXCEEDED"])
      assert.match(frame.message, /sandbox CPU time per day/)
      assert.equal((await refused.closed).code, 1011)
    })
  })
}

/** The sandbox host with every terminal reporting `cpuMs` of CPU time when it exits. */
function reportingCpu(host: SandboxHost, cpuMs: number): SandboxHost {
  return {
    ...host,
    async sandboxFor(projectId) {
      const sandbox = await host.sandboxFor(projectId)
      return {
        ...sandbox,
        projectId: sandbox.projectId,
        exec: (request) => sandbox.exec(request),
        stream: (request) => sandbox.stream(request),
        async openTerminal(options) {
          const terminal = await sandbox.openTerminal(options)
          return {
            id: terminal.id,
            write: (data) => terminal.write(data),
            resize: (cols, rows) => terminal.resize(cols, rows),
            onData: (listener) => terminal.onData(listener),
            close: () => terminal.close(),
            exited: terminal.exited.then((exited) => ({ ...exited, cpuMs })),
          }
        },
      }
    },
  }
}
