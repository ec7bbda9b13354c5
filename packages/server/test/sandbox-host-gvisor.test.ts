import assert from "node:assert/strict"
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { test } from "node:test"
import { Config } from "@xionimus/config"
import { silentLogger } from "@xionimus/kit"
import { createSandboxHost } from "../src/sandbox-host.ts"

test("sandbox.backend gvisor gives the server the gVisor provider over the project's workspace", async () => {
  const dir = await mkdtemp(join(tmpdir(), "xionimus-sandbox-host-"))
  const host = createSandboxHost({
    config: Config.parse({ dataDir: dir, sandbox: { backend: "gvisor" } }),
    workspacesRoot: dir,
    logger: silentLogger(),
    userCount: async () => 2,
  })
  try {
    await mkdir(join(dir, "prj_one"))
    assert.equal((await host.provider()).capabilities.backend, "gvisor")
    const sandbox = await host.sandboxFor("prj_one")
    const result = await sandbox.exec({ command: { shell: "echo inside > made.txt" } })
    assert.equal(result.exitCode, 0)
    assert.equal(await readFile(join(dir, "prj_one", "made.txt"), "utf8"), "inside\n")
  } finally {
    await host.close()
    await rm(dir, { recursive: true, force: true })
  }
})
