import assert from "node:assert/strict"
import { mkdir, symlink, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import { createBubblewrapProvider } from "@xionimus/sandbox"
import { grep } from "../src/grep.ts"
import { run } from "../src/run.ts"
import type { ToolOutcome } from "../src/types.ts"
import { createToolFixture, text } from "./tool-fixture.ts"

// The tools against the real bubblewrap sandbox (cgroups off: limits are the sandbox package's to prove).
async function sandboxFixture() {
  const fixture = await createToolFixture()
  const provider = await createBubblewrapProvider({ cgroups: false, diskCheckIntervalMs: 0 })
  const sandbox = await provider.create({ projectId: "prj_tools", workspaceDir: fixture.workspace })
  return {
    fixture,
    sandbox,
    async [Symbol.asyncDispose]() {
      await provider.dispose()
      await fixture[Symbol.asyncDispose]()
    },
  }
}

function completed(outcome: ToolOutcome) {
  assert.equal(outcome.status, "completed", outcome.status === "error" ? outcome.error : "")
  return outcome as Extract<ToolOutcome, { status: "completed" }>
}

test("run executes in the sandbox at /workspace, streams output and reports the exit code", async () => {
  await using setup = await sandboxFixture()
  const { fixture, sandbox } = setup
  await fixture.files.write("lib/data.txt", text("content"))
  const streamed: string[] = []
  const outcome = completed(
    await run.run(
      { command: "pwd; cat data.txt; echo oops >&2; exit 4", cwd: "lib" },
      fixture.context({ sandbox, onOutput: (chunk) => streamed.push(chunk) }),
    ),
  )
  assert.match(outcome.output, /\/workspace\/lib\ncontent/)
  assert.match(outcome.output, /oops/)
  assert.match(outcome.output, /\[exit code 4\]$/)
  assert.equal(outcome.metadata.exitCode, 4)
  assert.match(streamed.join(""), /content/)
})

test("run in the sandbox: the timeout kills the command and cancelling aborts it", async () => {
  await using setup = await sandboxFixture()
  const { fixture, sandbox } = setup
  const timed = completed(
    await run.run({ command: "echo begun; sleep 10", timeoutSeconds: 1 }, fixture.context({ sandbox })),
  )
  assert.match(timed.output, /begun\n\n\[The command was killed after 1 s \(timeout\)/)
  assert.equal(timed.metadata.limit, "timeout")
  const controller = new AbortController()
  const pending = run.run({ command: "sleep 10" }, fixture.context({ sandbox, signal: controller.signal }))
  setTimeout(() => controller.abort(), 100)
  const aborted = await pending
  assert.ok(aborted.status === "error" && aborted.code === "TOOL_ABORTED")
})

test("grep through the sandbox finds the same matches and never follows links out", async () => {
  await using setup = await sandboxFixture()
  const { fixture, sandbox } = setup
  await fixture.files.write("src/a.ts", text("const needle = 1\n"))
  const outside = join(fixture.directory, "outside")
  await mkdir(outside)
  await writeFile(join(outside, "secret.ts"), "needle secret\n")
  await symlink(outside, join(fixture.workspace, "escape"))
  await symlink(join(outside, "secret.ts"), join(fixture.workspace, "secret.ts"))
  const outcome = completed(await grep.run({ pattern: "needle" }, fixture.context({ sandbox })))
  assert.equal(outcome.output, "src/a.ts:1:const needle = 1")
})
