import assert from "node:assert/strict"
import { randomBytes } from "node:crypto"
import { readdirSync, readFileSync, rmdirSync } from "node:fs"
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, beforeEach, describe, it } from "node:test"
import { createBubblewrapProvider } from "../src/bubblewrap-provider.ts"
import { detectCgroups } from "../src/cgroups.ts"

const directories = (path: string) =>
  readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)

/** Host pids whose command line mentions `marker`. */
function hostProcessesWith(marker: string): string[] {
  return readdirSync("/proc").filter((pid) => {
    try {
      return /^\d+$/.test(pid) && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker)
    } catch {
      return false
    }
  })
}

describe("bubblewrap provider", () => {
  let workspace: string
  let cgroupName: string
  beforeEach(async () => {
    workspace = await mkdtemp(join(tmpdir(), "xionimus-bwrap-test-"))
    cgroupName = `xionimus-test-${randomBytes(4).toString("hex")}`
  })
  afterEach(async () => {
    await rm(workspace, { recursive: true, force: true })
    for (const mount of Object.values(detectCgroups()?.mounts ?? {})) {
      try {
        rmdirSync(join(mount, cgroupName))
      } catch {
        // Not made (no cgroups) or already gone.
      }
    }
  })

  it("reuses one cgroup slot for runs one after another and removes everything on dispose", async (context) => {
    const detected = detectCgroups()
    if (!detected) return context.skip("no cgroups on this machine")
    const stateParent = await mkdtemp(join(tmpdir(), "xionimus-bwrap-state-"))
    context.after(() => rm(stateParent, { recursive: true, force: true }))
    const provider = await createBubblewrapProvider({ cgroupName, tempDir: stateParent })
    const sandbox = await provider.create({ projectId: "reuse", workspaceDir: workspace })
    for (let index = 0; index < 3; index += 1) {
      const result = await sandbox.exec({ command: { shell: "true" } })
      assert.equal(result.exitCode, 0)
      assert.ok(result.usage.peakMemoryBytes !== null && result.usage.peakMemoryBytes > 0)
    }
    const mount = Object.values(detected.mounts)[0]!
    const [instance] = directories(join(mount, cgroupName))
    assert.ok(instance)
    assert.deepEqual(directories(join(mount, cgroupName, instance, "reuse")), ["0"])
    assert.equal(readdirSync(stateParent).length, 1)
    await provider.dispose()
    await provider.dispose()
    assert.deepEqual(directories(join(mount, cgroupName)), [])
    assert.deepEqual(readdirSync(stateParent), [])
  })

  it("starts the next run's launcher ahead in the slot, hands it the run, and kills idle ones on dispose", async (context) => {
    if (!detectCgroups()) return context.skip("no cgroups on this machine")
    const provider = await createBubblewrapProvider({ cgroupName })
    const sandbox = await provider.create({ projectId: "warm", workspaceDir: workspace })
    assert.equal((await sandbox.exec({ command: { shell: "true" } })).exitCode, 0)
    const marker = `${cgroupName}/`
    for (let attempt = 0; attempt < 200 && hostProcessesWith(marker).length === 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    const [launcher] = hostProcessesWith(marker)
    assert.ok(launcher, "a launcher waits in the slot")
    const chunks: Buffer[] = []
    const result = await sandbox.exec({
      command: { shell: "cat; echo run-$((6 * 7))" },
      stdin: "from stdin\n",
      onOutput: (chunk) => chunks.push(chunk.data),
    })
    assert.equal(Buffer.concat(chunks).toString(), "from stdin\nrun-42\n")
    assert.equal(result.exitCode, 0)
    assert.ok(!hostProcessesWith(marker).includes(launcher), "the waiting launcher took the run")
    await provider.dispose()
    assert.deepEqual(hostProcessesWith(marker), [])
  })

  it("closing a terminal after its shell exited leaves the next terminal in the same slot alone", async (context) => {
    if (!detectCgroups()) return context.skip("no cgroups on this machine")
    const provider = await createBubblewrapProvider({ cgroupName })
    try {
      const sandbox = await provider.create({ projectId: "term-next", workspaceDir: workspace })
      const first = await sandbox.openTerminal({ argv: ["/bin/sh", "-c", "exit 7"] })
      assert.equal((await first.exited).exitCode, 7)
      // The slot goes back once the exit was seen; "New terminal" takes it again.
      await new Promise((resolve) => setImmediate(resolve))
      const second = await sandbox.openTerminal({ argv: ["/bin/bash", "--noprofile", "--norc", "-i"] })
      let output = ""
      second.onData((data) => {
        output += data
      })
      for (let attempt = 0; attempt < 500 && !/\$ $/.test(output); attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      assert.match(output, /\$ $/, "the second shell's prompt")
      // What the socket route does when the first terminal's client goes: close it (its shell is gone).
      // It swept the slot again, and killed the second shell in it (one "New terminal" in four was dead).
      await first.close()
      second.write("echo alive-$((40 + 2))\n")
      for (let attempt = 0; attempt < 500 && !/alive-42/.test(output); attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10))
      }
      assert.match(output, /alive-42/, `the second shell still answers: ${JSON.stringify(output)}`)
      second.write("exit 0\n")
      const end = await second.exited
      assert.equal(end.exitCode, 0, `${JSON.stringify(end)} ${JSON.stringify(output)}`)
    } finally {
      await provider.dispose()
    }
  })

  it("says which limits are not enforced when it runs without cgroups, and still runs and times out", async () => {
    const provider = await createBubblewrapProvider({ cgroups: false })
    try {
      const unenforced = provider.capabilities.limits
        .filter((limit) => !limit.enforced)
        .map((limit) => limit.name)
      assert.deepEqual(unenforced.sort(), ["cpuCores", "memoryBytes", "pids"])
      assert.equal(provider.capabilities.cgroups, null)
      assert.equal(provider.capabilities.warnings.length, 3)
      const sandbox = await provider.create({ projectId: "plain", workspaceDir: workspace })
      const result = await sandbox.exec({
        command: { shell: "sleep 5 & sleep 10" },
        limits: { timeoutMs: 200 },
      })
      assert.equal(result.limit, "timeout")
      assert.equal(result.usage.peakMemoryBytes, null)
    } finally {
      await provider.dispose()
    }
  })

  it("stops a run that grows the workspace past its quota, not one that cleans up an over-full one", async () => {
    const provider = await createBubblewrapProvider({
      cgroups: false,
      diskCheckIntervalMs: 50,
      limits: { diskBytes: 1024 * 1024 },
    })
    try {
      const sandbox = await provider.create({ projectId: "quota", workspaceDir: workspace })
      const grow = await sandbox.exec({
        command: {
          shell: "i=0; while :; do head -c 262144 /dev/urandom > f$i; i=$((i+1)); sleep 0.01; done",
        },
      })
      assert.equal(grow.limit, "disk")
      const clean = await sandbox.exec({ command: { shell: "sleep 0.3; rm -f f*" } })
      assert.equal(clean.limit, null)
      assert.equal(clean.exitCode, 0)
    } finally {
      await provider.dispose()
    }
  })

  it("raises SANDBOX_UNAVAILABLE when bwrap is missing or cannot start a sandbox", async () => {
    await assert.rejects(createBubblewrapProvider({ bwrapPath: "/nonexistent/bwrap", cgroups: false }), {
      code: "SANDBOX_UNAVAILABLE",
    })
    await assert.rejects(createBubblewrapProvider({ bwrapPath: "/bin/false", cgroups: false }), {
      code: "SANDBOX_UNAVAILABLE",
    })
  })

  it("a finished terminal leaves no process behind", async () => {
    const provider = await createBubblewrapProvider({ cgroups: false })
    try {
      const sandbox = await provider.create({ projectId: "term", workspaceDir: workspace })
      const terminal = await sandbox.openTerminal({ argv: ["/bin/sh", "-c", "sleep 41.25 & exit 4"] })
      const exited = await terminal.exited
      assert.equal(exited.exitCode, 4)
      assert.deepEqual(hostProcessesWith("sleep 41.25".replace(" ", "\0")), [])
    } finally {
      await provider.dispose()
    }
  })

  it("a terminal whose shell exited ignores resize and input (node-pty threw ENOTTY, uncaught in the socket route)", async () => {
    const provider = await createBubblewrapProvider({ cgroups: false })
    try {
      const sandbox = await provider.create({ projectId: "term-exit", workspaceDir: workspace })
      const terminal = await sandbox.openTerminal({ argv: ["/bin/sh", "-c", "exit 0"] })
      await terminal.exited
      terminal.resize(120, 40)
      terminal.write("echo too late\n")
    } finally {
      await provider.dispose()
    }
  })
})
