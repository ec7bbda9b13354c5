import assert from "node:assert/strict"
import { mkdtemp, realpath, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, beforeEach, describe, it } from "node:test"
import { runShell } from "@xionimus/testing"
import { createNoneProvider } from "../src/none-provider.ts"

describe("none backend (development only)", () => {
  let workspace: string
  beforeEach(async () => {
    workspace = await realpath(await mkdtemp(join(tmpdir(), "xionimus-none-test-")))
  })
  afterEach(() => rm(workspace, { recursive: true, force: true }))

  it("warns loudly and reports that nothing but time, output and disk is enforced", async () => {
    const warnings: string[] = []
    const logger = { warn: (_: unknown, message: string) => warnings.push(message) }
    const provider = await createNoneProvider({ logger: logger as never })
    try {
      assert.equal(provider.capabilities.isolated, false)
      assert.match(warnings.join("\n"), /no isolation/)
      const enforced = provider.capabilities.limits
        .filter((limit) => limit.enforced)
        .map((limit) => limit.name)
      assert.deepEqual(enforced.sort(), ["diskBytes", "outputBytes", "timeoutMs"])
    } finally {
      await provider.dispose()
    }
  })

  it("runs in the workspace directory and kills the whole process group at the timeout", async () => {
    const provider = await createNoneProvider()
    try {
      const sandbox = await provider.create({ projectId: "dev", workspaceDir: workspace })
      const run = await runShell(sandbox, "pwd", { cwd: "/workspace" })
      assert.equal(run.stdout, `${workspace}\n`)
      const slow = await runShell(sandbox, "sleep 30 & sleep 31", { limits: { timeoutMs: 200 } })
      assert.equal(slow.result.limit, "timeout")
    } finally {
      await provider.dispose()
    }
  })

  it("is refused once more than one user exists", async () => {
    const provider = await createNoneProvider({ userCount: async () => 2 })
    try {
      await assert.rejects(provider.create({ projectId: "dev", workspaceDir: workspace }), {
        code: "SANDBOX_UNAVAILABLE",
      })
    } finally {
      await provider.dispose()
    }
  })
})
