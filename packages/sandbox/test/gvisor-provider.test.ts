import assert from "node:assert/strict"
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, it } from "node:test"
import { createGvisorProvider } from "@xionimus/sandbox"
import { runShell, sandboxContract } from "@xionimus/testing"
import { gvisorSpec } from "../src/gvisor-bundle.ts"
import { defaultLimits } from "../src/limits.ts"

// No skip when runsc is missing: CI installs it, and a broken gVisor must fail here, not pass quietly.
sandboxContract("gvisor", (options) => createGvisorProvider(options))

describe("gVisor provider", () => {
  it("a finished, a timed-out and an aborted run leave no bundle, container state or process behind", async () => {
    const tempDir = await mkdtemp(join(tmpdir(), "xionimus-gvisor-test-"))
    const workspaceDir = join(tempDir, "workspace")
    await mkdir(workspaceDir)
    const provider = await createGvisorProvider({ tempDir })
    try {
      const [stateDir] = await readdir(tempDir).then((names) => names.filter((name) => name !== "workspace"))
      assert.ok(stateDir)
      const sandbox = await provider.create({ projectId: "leftovers", workspaceDir })
      const finished = await runShell(sandbox, "echo done")
      assert.equal(finished.stdout, "done\n")
      assert.deepEqual(await readdir(join(tempDir, stateDir, "bundles")), [])
      assert.deepEqual(await readdir(join(tempDir, stateDir, "runsc")), [])
      const timedOut = await sandbox.exec({ command: { shell: "sleep 30" }, limits: { timeoutMs: 300 } })
      assert.equal(timedOut.limit, "timeout")
      const controller = new AbortController()
      setTimeout(() => controller.abort(), 300)
      const aborted = await sandbox.exec({ command: { shell: "sleep 30" }, signal: controller.signal })
      assert.equal(aborted.aborted, true)
    } finally {
      await provider.dispose()
    }
    assert.deepEqual(await readdir(tempDir), ["workspace"])
    assert.deepEqual(await processesMentioning(tempDir), [])
    await rm(tempDir, { recursive: true, force: true })
  })

  it("builds a spec without the host's /etc, /root, /home, capabilities or network", () => {
    const spec = gvisorSpec({
      rootDir: "/state/root",
      workspaceDir: "/data/workspaces/p",
      readOnlyPaths: [],
      limits: defaultLimits,
      cwd: "/workspace/src",
      env: { PATH: "/usr/bin", A: "b=c" },
      command: ["/bin/sh", "-c", "true"],
      terminal: false,
    }) as {
      process: { user: { uid: number }; env: string[]; capabilities: Record<string, string[]>; cwd: string }
      root: { path: string; readonly: boolean }
      mounts: { destination: string; source: string; options?: string[] }[]
      linux: { namespaces: { type: string }[] }
    }
    assert.deepEqual(spec.root, { path: "/state/root", readonly: true })
    assert.equal(spec.process.cwd, "/workspace/src")
    assert.deepEqual(spec.process.env, ["PATH=/usr/bin", "A=b=c"])
    for (const set of Object.values(spec.process.capabilities)) assert.deepEqual(set, [])
    const sources = spec.mounts.map((mount) => mount.source)
    for (const hostPath of ["/etc", "/root", "/home", "/data/workspaces"])
      assert.ok(!sources.includes(hostPath))
    const workspace = spec.mounts.find((mount) => mount.destination === "/workspace")
    assert.equal(workspace?.source, "/data/workspaces/p")
    assert.ok(workspace?.options?.includes("rw"))
    for (const mount of spec.mounts.filter((item) => item.destination.startsWith("/usr")))
      assert.ok(mount.options?.includes("ro"))
    assert.ok(spec.linux.namespaces.some((namespace) => namespace.type === "network"))
  })
})

/** Host pids whose command line mentions `text`. */
async function processesMentioning(text: string): Promise<number[]> {
  const found: number[] = []
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue
    const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "")
    if (cmdline.includes(text)) found.push(Number(entry))
  }
  return found
}
