import assert from "node:assert/strict"
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import type {
  BubblewrapProviderOptions,
  ExecRequest,
  ExecResult,
  Sandbox,
  SandboxProvider,
} from "@xionimus/sandbox"
import { sandboxAttackContract } from "./sandbox-attacks.ts"

/** Options a contract test may ask the backend for (a subset every backend understands). */
export type SandboxFixtureOptions = Pick<
  BubblewrapProviderOptions,
  "limits" | "maxConcurrent" | "diskCheckIntervalMs"
>

/** Opens a provider of the backend under test; the contract disposes it. */
export type OpenSandboxProvider = (options?: SandboxFixtureOptions) => Promise<SandboxProvider>

export interface RunOutput {
  result: ExecResult
  stdout: string
  stderr: string
}

/** Runs a shell string and collects its output as text. */
export async function runShell(
  sandbox: Sandbox,
  shell: string,
  options: Omit<ExecRequest, "command" | "onOutput"> = {},
): Promise<RunOutput> {
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  const result = await sandbox.exec({
    ...options,
    command: { shell },
    onOutput: (chunk) => (chunk.stream === "stdout" ? stdout : stderr).push(chunk.data),
  })
  return {
    result,
    stdout: Buffer.concat(stdout).toString("utf8"),
    stderr: Buffer.concat(stderr).toString("utf8"),
  }
}

/** A data directory laid out like the server's: <dir>/workspaces/<project>, a database file beside them. */
export interface HostLayout {
  dataDir: string
  workspace(name: string): Promise<string>
}

export async function createHostLayout(): Promise<HostLayout & { remove(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), "xionimus-sandbox-contract-"))
  await writeFile(join(dataDir, "xionimus.db"), "host-database-secret")
  await mkdir(join(dataDir, "workspaces"))
  return {
    dataDir,
    async workspace(name) {
      const dir = join(dataDir, "workspaces", name)
      await mkdir(dir, { recursive: true })
      return dir
    },
    remove: () => rm(dataDir, { recursive: true, force: true }),
  }
}

/** What every SandboxProvider must do; isolation attacks run where capabilities.isolated is true. */
export function sandboxContract(name: string, open: OpenSandboxProvider): void {
  describe(`Sandbox contract: ${name}`, () => {
    let provider: SandboxProvider
    let layout: Awaited<ReturnType<typeof createHostLayout>>
    let sandbox: Sandbox
    before(async () => {
      layout = await createHostLayout()
      provider = await open({ maxConcurrent: 4 })
      sandbox = await provider.create({
        projectId: "contract",
        workspaceDir: await layout.workspace("contract"),
      })
    })
    after(async () => {
      await provider?.dispose()
      await layout?.remove()
    })

    it("runs argv and shell commands and reports their exit codes", async () => {
      const ok = await sandbox.exec({ command: { argv: ["/bin/sh", "-c", "exit 0"] } })
      assert.equal(ok.exitCode, 0)
      assert.equal(ok.limit, null)
      const failed = await runShell(sandbox, "echo out; echo err >&2; exit 3")
      assert.equal(failed.result.exitCode, 3)
      assert.equal(failed.stdout, "out\n")
      assert.equal(failed.stderr, "err\n")
      assert.equal(failed.result.usage.stdoutBytes, 4)
    })

    it("numbers chunks of both streams in order, without gaps", async () => {
      const chunks: { stream: string; seq: number; text: string }[] = []
      await sandbox.exec({
        // Pauses between writes: the two streams are two pipes, numbered in the order their data is read.
        command: { shell: "for i in 1 2 3 4 5; do echo o$i; sleep 0.05; echo e$i >&2; sleep 0.05; done" },
        onOutput: (chunk) =>
          chunks.push({ stream: chunk.stream, seq: chunk.seq, text: chunk.data.toString() }),
      })
      assert.deepEqual(
        chunks.map((chunk) => chunk.seq),
        chunks.map((_, index) => index),
      )
      const text = chunks.map((chunk) => chunk.text).join("")
      assert.equal(text, "o1\ne1\no2\ne2\no3\ne3\no4\ne4\no5\ne5\n")
    })

    it("feeds stdin, sets env and the working directory inside /workspace", async () => {
      await mkdir(join(layout.dataDir, "workspaces", "contract", "sub"), { recursive: true })
      const run = await runShell(sandbox, 'pwd; cat; echo "$GREETING"; echo "$HOME"', {
        stdin: "from stdin\n",
        env: { GREETING: "hello" },
        cwd: "sub",
      })
      assert.equal(run.stdout, "/workspace/sub\nfrom stdin\nhello\n/tmp\n")
      await assert.rejects(sandbox.exec({ command: { shell: "true" }, cwd: "/etc" }), {
        code: "SANDBOX_REQUEST_INVALID",
      })
      await assert.rejects(sandbox.exec({ command: { shell: "true" }, cwd: "../other" }), {
        code: "SANDBOX_REQUEST_INVALID",
      })
      await assert.rejects(sandbox.exec({ command: { shell: "true" }, env: { "A=B": "x" } }), {
        code: "SANDBOX_REQUEST_INVALID",
      })
    })

    it("writes to the workspace land in the project's directory on the host", async () => {
      const run = await runShell(sandbox, "echo made-inside > /workspace/inside.txt")
      assert.equal(run.result.exitCode, 0)
      const host = await readFile(join(layout.dataDir, "workspaces", "contract", "inside.txt"), "utf8")
      assert.equal(host, "made-inside\n")
      await writeFile(join(layout.dataDir, "workspaces", "contract", "from-host.txt"), "host")
      const edit = await runShell(sandbox, "echo more >> from-host.txt && cat from-host.txt")
      assert.equal(edit.stdout, "hostmore\n")
    })

    it("streams chunks then the result through the async iterator", async () => {
      const seen: string[] = []
      let exitCode: number | null | undefined
      for await (const item of sandbox.stream({ command: { shell: "echo a; echo b" } })) {
        if ("result" in item) exitCode = item.result.exitCode
        else seen.push(item.data.toString())
      }
      assert.equal(seen.join(""), "a\nb\n")
      assert.equal(exitCode, 0)
    })

    it("kills the run on abort and says so", async () => {
      const controller = new AbortController()
      const running = sandbox.exec({ command: { shell: "sleep 30" }, signal: controller.signal })
      setTimeout(() => controller.abort(), 100)
      const result = await running
      assert.equal(result.aborted, true)
      assert.equal(result.limit, null)
      assert.notEqual(result.exitCode, 0)
    })

    it("ends a run at its timeout and names the limit", async () => {
      const result = await sandbox.exec({ command: { shell: "sleep 30" }, limits: { timeoutMs: 300 } })
      assert.equal(result.limit, "timeout")
      assert.equal(result.signal, "SIGKILL")
    })

    it("never lets a call widen the project's limits, and refuses invalid ones", async () => {
      const workspaceDir = await layout.workspace("narrow")
      const narrow = await provider.create({ projectId: "narrow", workspaceDir, limits: { timeoutMs: 400 } })
      const result = await narrow.exec({ command: { shell: "sleep 30" }, limits: { timeoutMs: 600_000 } })
      assert.equal(result.limits.timeoutMs, 400)
      assert.equal(result.limit, "timeout")
      await assert.rejects(sandbox.exec({ command: { shell: "true" }, limits: { memoryBytes: -1 } }), {
        code: "SANDBOX_LIMIT_INVALID",
      })
      await provider.release("narrow")
    })

    it("returns the same handle per project and refuses a missing workspace", async () => {
      const again = await provider.create({ projectId: "contract", workspaceDir: "/nonexistent" })
      assert.equal(again, sandbox)
      await assert.rejects(
        provider.create({ projectId: "missing", workspaceDir: join(layout.dataDir, "nope") }),
        {
          code: "SANDBOX_WORKSPACE_INVALID",
        },
      )
    })

    it("release kills the project's runs; its handle then refuses new ones", async () => {
      const workspaceDir = await layout.workspace("released")
      const doomed = await provider.create({ projectId: "released", workspaceDir })
      const running = doomed.exec({ command: { shell: "sleep 30" } })
      await new Promise((resolve) => setTimeout(resolve, 150))
      await provider.release("released")
      const result = await running
      assert.equal(result.aborted, true)
      await assert.rejects(doomed.exec({ command: { shell: "true" } }), { code: "SANDBOX_CLOSED" })
    })

    it("queues runs past the concurrency cap and runs them all", async () => {
      const runs = Array.from({ length: 12 }, (_, index) => runShell(sandbox, `echo run-${index}`))
      await new Promise((resolve) => setImmediate(resolve))
      assert.ok(provider.stats().queued > 0, "some runs should wait for a place")
      const outputs = await Promise.all(runs)
      for (const [index, run] of outputs.entries()) assert.equal(run.stdout, `run-${index}\n`)
      assert.deepEqual(provider.stats(), { running: 0, queued: 0 })
    })

    it("opens a terminal that echoes input, resizes and closes", async () => {
      const terminal = await sandbox.openTerminal({ argv: ["/bin/sh"], cols: 100, rows: 30 })
      let output = ""
      const stop = terminal.onData((data) => {
        output += data
      })
      terminal.resize(120, 40)
      terminal.write("stty size; echo terminal-$((40 + 2))\n")
      const deadline = Date.now() + 10_000
      while (!output.includes("terminal-42") && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      assert.match(output, /terminal-42/)
      assert.match(output, /40 120/)
      stop()
      await terminal.close()
      const exited = await terminal.exited
      assert.equal(exited.limit, null)
    })

    it("ends a terminal at its timeout, and release closes the project's terminals", async () => {
      const timed = await sandbox.openTerminal({
        argv: ["/bin/sh", "-c", "sleep 30"],
        limits: { timeoutMs: 300 },
      })
      assert.equal((await timed.exited).limit, "timeout")
      const workspaceDir = await layout.workspace("terminals")
      const other = await provider.create({ projectId: "terminals", workspaceDir })
      const open = await other.openTerminal({ argv: ["/bin/sh", "-c", "sleep 30"] })
      await provider.release("terminals")
      const exited = await open.exited
      assert.equal(exited.limit, null)
      assert.notEqual(exited.exitCode, 0)
    })

    it("describes what it enforces", () => {
      const capabilities = provider.capabilities
      assert.ok(["bubblewrap", "gvisor", "none"].includes(capabilities.backend))
      assert.equal(capabilities.limits.length, 10)
      for (const limit of capabilities.limits) assert.equal(typeof limit.enforced, "boolean")
      if (!capabilities.isolated)
        assert.ok(capabilities.warnings.length > 0, "an unisolated backend must warn")
    })
  })

  sandboxAttackContract(name, open)
}
