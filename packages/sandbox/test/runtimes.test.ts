import assert from "node:assert/strict"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { runShell } from "@xionimus/testing"
import { createBubblewrapProvider } from "../src/bubblewrap-provider.ts"
import { detectGvisor } from "../src/gvisor.ts"
import { detectRuntimes, runFileCommand } from "../src/runtimes.ts"
import type { Sandbox, SandboxProvider } from "../src/types.ts"

describe("runtimes", () => {
  let workspace: string
  let provider: SandboxProvider
  let sandbox: Sandbox
  before(async () => {
    workspace = await mkdtemp(join(tmpdir(), "xionimus-runtimes-test-"))
    provider = await createBubblewrapProvider({ cgroups: false })
    sandbox = await provider.create({ projectId: "runtimes", workspaceDir: workspace })
  })
  after(async () => {
    await provider.dispose()
    await rm(workspace, { recursive: true, force: true })
  })

  it("finds the toolchains the sandbox can run, with versions", async () => {
    const runtimes = await detectRuntimes(sandbox)
    const names = runtimes.map((runtime) => runtime.name)
    assert.ok(names.includes("sh"))
    assert.ok(names.includes("python3"), "the test machine has python3 in /usr/bin")
    const python = runtimes.find((runtime) => runtime.name === "python3")
    assert.match(python?.version ?? "", /^Python 3\./)
    assert.ok(runtimes.every((runtime) => runtime.path.startsWith("/")))
  })

  it("picks the command by extension", () => {
    assert.deepEqual(runFileCommand("a/b.py"), { argv: ["python3", "a/b.py"] })
    assert.deepEqual(runFileCommand("x.MJS"), { argv: ["node", "x.MJS"] })
    assert.deepEqual(runFileCommand("it's.c"), { shell: "gcc -O1 -o /tmp/a.out 'it'\\''s.c' && /tmp/a.out" })
    assert.equal(runFileCommand("README.md"), null)
  })

  it("runs a Python file and a C file from the workspace", async () => {
    await writeFile(join(workspace, "hello.py"), "print('hello from python')\n")
    await writeFile(
      join(workspace, "hello.c"),
      '#include <stdio.h>\nint main(void){puts("hello from c");return 0;}\n',
    )
    const python = runFileCommand("hello.py")!
    const c = runFileCommand("hello.c")!
    const pythonRun = await runShell(sandbox, "shell" in python ? python.shell : python.argv.join(" "))
    assert.equal(pythonRun.stdout, "hello from python\n")
    const cRun = await runShell(sandbox, "shell" in c ? c.shell : c.argv.join(" "))
    assert.equal(cRun.stdout, "hello from c\n", cRun.stderr)
  })

  it("reports gVisor as unavailable unless a working runsc is installed", async () => {
    const status = await detectGvisor(3000)
    assert.equal(typeof status.available, "boolean")
    if (status.path === null) {
      assert.equal(status.available, false)
      assert.match(status.detail, /not installed/)
    }
  })
})
