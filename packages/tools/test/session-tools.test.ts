import assert from "node:assert/strict"
import { test } from "node:test"
import { createNoneProvider } from "@xionimus/sandbox"
import { createBuiltinRegistry } from "../src/builtin-tools.ts"
import { run } from "../src/run.ts"
import { createSessionState } from "../src/session-state.ts"
import { task } from "../src/task.ts"
import { todo } from "../src/todo.ts"
import type { TodoItem, ToolOutcome } from "../src/types.ts"
import { createToolFixture } from "./tool-fixture.ts"

/** The sandbox package's development backend (host processes): the run tool's own logic, quickly. */
async function hostSandbox(workspace: string) {
  const provider = await createNoneProvider()
  const sandbox = await provider.create({ projectId: "prj_tools", workspaceDir: workspace })
  return { sandbox, [Symbol.asyncDispose]: () => provider.dispose() }
}

function completed(outcome: ToolOutcome) {
  assert.equal(outcome.status, "completed", outcome.status === "error" ? outcome.error : "")
  return outcome as Extract<ToolOutcome, { status: "completed" }>
}

test("todo replaces the plan in the session state and reads it back", async () => {
  await using fixture = await createToolFixture()
  const saved: TodoItem[][] = []
  const session = createSessionState({}, (items) => saved.push(items))
  const context = fixture.context({ session })
  const written = completed(
    await todo.run(
      {
        todos: [
          { content: "Read the failing test", status: "completed" },
          { content: "Fix the parser", status: "in_progress" },
          { content: "Run the tests", status: "pending" },
        ],
      },
      context,
    ),
  )
  assert.equal(
    written.output,
    "[x] Read the failing test\n[~] Fix the parser\n[ ] Run the tests\n\n(2 open of 3)",
  )
  assert.equal(saved.length, 1)
  assert.equal(completed(await todo.run({}, context)).output, written.output)
  assert.equal(session.todos()[1]?.status, "in_progress")
  const invalid = await todo.run({ todos: [{ content: "x", status: "doing" }] }, context)
  assert.ok(invalid.status === "error" && invalid.code === "TOOL_INPUT_INVALID")
})

test("task hands the prompt to the context's sub-agent and returns its summary", async () => {
  await using fixture = await createToolFixture()
  const unavailable = await task.run({ description: "Find it", prompt: "Look" }, fixture.context())
  assert.ok(unavailable.status === "error" && unavailable.code === "TASK_UNAVAILABLE")
  const outcome = completed(
    await task.run(
      { description: "Find the loader", prompt: "Where is config loaded?", agent: "explore" },
      fixture.context({
        async task(request) {
          assert.equal(request.prompt, "Where is config loaded?")
          assert.equal(request.agent, "explore")
          return { summary: "In src/config.ts", sessionId: "ses_sub" }
        },
      }),
    ),
  )
  assert.equal(outcome.output, "In src/config.ts")
  assert.deepEqual(outcome.metadata, { sessionId: "ses_sub" })
  assert.deepEqual(fixture.asked.at(-1), {
    tool: "task",
    kind: "other",
    patterns: ["explore"],
    always: ["explore"],
    title: "Sub-agent: Find the loader",
  })
})

test("run streams output through the context, reports the exit code and asks with a command pattern", async () => {
  await using fixture = await createToolFixture()
  await fixture.files.write("sub/file.txt", Buffer.from("x"))
  await using host = await hostSandbox(fixture.workspace)
  const { sandbox } = host
  const streamed: string[] = []
  const outcome = completed(
    await run.run(
      { command: "echo out; echo err >&2; ls; pwd; exit 3", cwd: "sub" },
      fixture.context({ sandbox, onOutput: (text) => streamed.push(text) }),
    ),
  )
  assert.match(outcome.output, /out/)
  assert.match(outcome.output, /err/)
  // stdout and stderr are separate pipes, so their relative order is not fixed.
  assert.match(outcome.output, /file\.txt/)
  assert.match(outcome.output, /\n\n\[exit code 3\]$/)
  assert.equal(streamed.join("").length > 0, true)
  assert.equal(outcome.metadata.exitCode, 3)
  assert.ok(outcome.output.includes(`${fixture.workspace}/sub\n`), "ran in the cwd asked for")
  assert.deepEqual(fixture.asked[0]?.always, ["echo out; echo err >&2; ls; pwd; exit 3"])
})

test("run says when the timeout killed the command, and without a sandbox it refuses", async () => {
  await using fixture = await createToolFixture()
  await using host = await hostSandbox(fixture.workspace)
  const { sandbox } = host
  const outcome = completed(
    await run.run({ command: "echo started; sleep 5", timeoutSeconds: 1 }, fixture.context({ sandbox })),
  )
  assert.match(outcome.output, /^started\n\n\[The command was killed after 1 s \(timeout\)/)
  const refused = await run.run({ command: "ls" }, fixture.context())
  assert.ok(refused.status === "error" && refused.code === "COMMAND_UNAVAILABLE")
})

test("run keeps the end of a long output", async () => {
  await using fixture = await createToolFixture()
  await using host = await hostSandbox(fixture.workspace)
  const { sandbox } = host
  const outcome = completed(await run.run({ command: "seq 1 3000" }, fixture.context({ sandbox })))
  assert.equal(outcome.truncated, true)
  assert.match(outcome.output, /^\[Output truncated: showing the last 2000 of 3002 lines/)
  assert.match(outcome.output, /\n3000\n\n\[exit code 0\]$/)
})

test("cancelling a running command kills it and ends the call as aborted", async () => {
  await using fixture = await createToolFixture()
  await using host = await hostSandbox(fixture.workspace)
  const { sandbox } = host
  const controller = new AbortController()
  const pending = run.run({ command: "sleep 30" }, fixture.context({ sandbox, signal: controller.signal }))
  setTimeout(() => controller.abort(), 50)
  const outcome = await pending
  assert.ok(outcome.status === "error" && outcome.code === "TOOL_ABORTED")
})

test("the built-in registry holds every tool, and a sub-agent's registry can leave task out", () => {
  assert.deepEqual(
    createBuiltinRegistry()
      .list()
      .map((tool) => tool.id),
    ["edit", "glob", "grep", "list", "read_file", "run", "task", "todo", "write_file"],
  )
  assert.equal(createBuiltinRegistry({ without: ["task"] }).get("task"), undefined)
  for (const tool of createBuiltinRegistry().list()) assert.ok(tool.description.length > 50, tool.id)
})
