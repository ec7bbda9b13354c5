import assert from "node:assert/strict"
import { readFile, stat, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { PassThrough } from "node:stream"
import { test } from "node:test"
import { runCli } from "../src/index.ts"
import { createCliWorld, defaultModel, textReply, writeFileCall } from "./cli-process.ts"
import { createTestIo } from "./helpers.ts"

interface Event {
  seq: number
  type: string
  data: Record<string, unknown>
}

const parseNdjson = (text: string): Event[] =>
  text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Event)

test("`run --yes` streams a turn that writes a file through the real SDK path and exits 0", async (context) => {
  const world = await createCliWorld(context)
  world.mock.enqueue(writeFileCall("hello.txt", "hi\n"), textReply("Wrote ", "hello.txt", " for you."))
  const result = await world.run(["run", "--project", world.project, "--yes", "write hello.txt"])
  assert.equal(result.code, 0, result.stderr)
  assert.equal(await readFile(join(world.project, "hello.txt"), "utf8"), "hi\n")
  assert.match(result.stdout, /✓ write_file hello\.txt/)
  assert.match(result.stdout, /Wrote hello\.txt for you\.\n/)
  assert.match(result.stderr, /session ses_\S+ · project my-project \(prj_/)
  assert.equal(world.mock.pending(), 0)
  // Both model calls went to the configured default model over the OpenAI wire format.
  assert.deepEqual(
    world.mock.requests.map((request) => request.model),
    [defaultModel.split("/")[1], defaultModel.split("/")[1]],
  )
})

test("without --yes on a non-TTY an edit is denied with a worded message and the turn still completes", async (context) => {
  const world = await createCliWorld(context)
  world.mock.enqueue(writeFileCall("denied.txt", "no\n"), textReply("I could not write it."))
  const result = await world.run(["run", "--project", world.project, "--json", "write denied.txt"])
  assert.equal(result.code, 0, result.stderr)
  await assert.rejects(stat(join(world.project, "denied.txt")), { code: "ENOENT" })
  const events = parseNdjson(result.stdout)
  const decided = events.find((event) => event.type === "permission.decided")
  assert.deepEqual(decided?.data.decision, {
    kind: "deny",
    message: "Not allowed in a headless run; pass --yes to allow actions inside the sandbox",
  })
  const failedCall = events.find((event) => event.type === "tool.updated" && event.data.status === "error")
  assert.equal((failedCall?.data.error as { code?: string } | undefined)?.code, "TOOL_DENIED")
  // The denial reached the model as the tool's result.
  assert.match(JSON.stringify(world.mock.requests[1]?.body), /Not allowed in a headless run/)
})

test("`run --json` prints the stored events as NDJSON in seq order, from session.created to turn.ended", async (context) => {
  const world = await createCliWorld(context)
  world.mock.enqueue(textReply("Hello", " there"))
  const result = await world.run([
    "run",
    "--project",
    world.project,
    "--json",
    "--model",
    "openai/gpt-4.1",
    "say hello",
  ])
  assert.equal(result.code, 0, result.stderr)
  const events = parseNdjson(result.stdout)
  assert.deepEqual(
    events.map((event) => event.seq),
    events.map((_, index) => index + 1),
  )
  assert.equal(events[0]?.type, "session.created")
  assert.equal(events.at(-1)?.type, "turn.ended")
  assert.equal(events.at(-1)?.data.outcome, "completed")
  const text = events
    .filter((event) => event.type === "assistant.text")
    .map((event) => event.data.text)
    .join("")
  assert.equal(text, "Hello there")
  assert.equal(world.mock.requests[0]?.model, "gpt-4.1")
})

test("a failing model call (401) exits 1 with the error code on stderr", async (context) => {
  const world = await createCliWorld(context)
  world.mock.enqueue({ type: "error", error: "auth" })
  const result = await world.run(["run", "--project", world.project, "hello"])
  assert.equal(result.code, 1, result.stderr)
  assert.match(
    result.stderr,
    /^error MODEL_CALL_FAILED: openai \(model gpt-4\.1-mini\) rejected the API key/m,
  )
  assert.ok(!result.stderr.includes("sk-cli-run-key-1234"))
})

test("usage errors exit 2: no message, a malformed --model, an unknown option", async (context) => {
  const world = await createCliWorld(context)
  const missing = await world.run(["run", "--project", world.project])
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /error USAGE: missing required argument 'message'/)
  const badModel = await world.run(["run", "--project", world.project, "--model", "gpt", "hi"])
  assert.equal(badModel.code, 2)
  assert.match(badModel.stderr, /error USAGE: --model takes <provider>\/<model>/)
  const empty = await world.run(["run", "--project", world.project, "  "])
  assert.equal(empty.code, 2)
  assert.equal(world.mock.requests.length, 0)
})

test("--attach sends files of the project with the message; a file outside it is a usage error", async (context) => {
  const world = await createCliWorld(context)
  await writeFile(join(world.project, "screen.png"), "not really a picture")
  await writeFile(join(world.project, "notes.md"), "# Notes")
  world.mock.enqueue(textReply("Seen."))
  const result = await world.run([
    "run",
    "--project",
    world.project,
    "--attach",
    join(world.project, "screen.png"),
    "--attach",
    join(world.project, "notes.md"),
    "what do you see?",
  ])
  assert.equal(result.code, 0, result.stderr)
  assert.match(
    JSON.stringify(world.mock.requests[0]?.body),
    /what do you see\?\\n\\nAttached files \(in the project\):\\n- `screen\.png`\\n- `notes\.md`/,
  )
  const outside = await world.run(["run", "--project", world.project, "--attach", "/etc/hostname", "hi"])
  assert.equal(outside.code, 2)
  assert.match(outside.stderr, /error USAGE: --attach takes files inside the project directory/)
  const missing = await world.run([
    "run",
    "--project",
    world.project,
    "--attach",
    join(world.project, "gone.png"),
    "hi",
  ])
  assert.equal(missing.code, 1)
  assert.match(missing.stderr, /error FILE_NOT_FOUND: The attachment "gone\.png" is not in the project/)
  assert.equal(world.mock.requests.length, 1)
})

test("a project directory that does not exist fails with SANDBOX_WORKSPACE_INVALID", async (context) => {
  const world = await createCliWorld(context)
  const result = await world.run(["run", "--project", join(world.project, "nope"), "hello"])
  assert.equal(result.code, 1)
  assert.match(result.stderr, /error SANDBOX_WORKSPACE_INVALID: The directory .*nope does not exist/)
})

test("SIGINT cancels the running turn cleanly: exit 130, the turn ends cancelled in the log", {
  timeout: 60_000,
}, async (context) => {
  const world = await createCliWorld(context)
  world.mock.enqueue({
    type: "stream",
    blocks: [{ type: "text", chunks: ["Starting…", "never"] }],
    stallAfter: 5,
  })
  const running = world.start(["run", "--project", world.project, "long task"])
  await running.waitFor(/Starting…/)
  running.child.kill("SIGINT")
  const result = await running.finished
  assert.equal(result.code, 130, result.stderr)
  assert.match(result.stderr, /cancelled/)
  const list = await world.run(["sessions", "list", "--json"])
  const [session] = JSON.parse(list.stdout) as { id: string; runState: string }[]
  assert.equal(session?.runState, "idle")
  const shown = await world.run(["sessions", "show", session?.id ?? "", "--json"])
  const events = parseNdjson(shown.stdout)
  assert.equal(events.at(-1)?.type, "turn.ended")
  assert.equal(events.at(-1)?.data.outcome, "cancelled")
})

test("the same directory is the same project on every run", async (context) => {
  const world = await createCliWorld(context)
  world.mock.enqueue(textReply("one"), textReply("two"))
  assert.equal((await world.run(["run", "--project", world.project, "first"])).code, 0)
  // Relative to the working directory this time.
  assert.equal((await world.run(["run", "--project", ".", "second"], { cwd: world.project })).code, 0)
  const list = await world.run(["sessions", "list", "--project", world.project, "--json"])
  const sessions = JSON.parse(list.stdout) as { projectId: string; title: string }[]
  assert.equal(sessions.length, 2)
  assert.equal(new Set(sessions.map((session) => session.projectId)).size, 1)
  assert.deepEqual(sessions.map((session) => session.title).sort(), ["first", "second"])
})

test("on a TTY a permission question is asked and `o` allows the edit once", async (context) => {
  const world = await createCliWorld(context)
  world.mock.enqueue(writeFileCall("asked.txt", "yes\n"), textReply("Written after you allowed it."))
  const { io, stdout, stderr } = await createTestIo(context, world.env)
  // A terminal: stdin and stderr say they are TTYs; the person types "o" when asked.
  const stdin = Object.assign(new PassThrough(), { isTTY: true })
  Object.assign(stderr, { isTTY: true })
  io.stdin = stdin
  stderr
    .waitFor(/Allow "Write asked\.txt"\? \[o\]nce, \[a\]lways \(this session\), \[d\]eny: /)
    .then(() => stdin.write("o\n"))
  const code = await runCli(
    ["run", "--project", world.project, "--data-dir", world.dataDir, "write asked.txt"],
    io,
  )
  assert.equal(code, 0, stderr.text)
  assert.equal(await readFile(join(world.project, "asked.txt"), "utf8"), "yes\n")
  assert.match(stdout.text, /\? Write asked\.txt\n {2}allowed once\n✓ write_file asked\.txt/)
})

test("a turn stopped by the step limit exits 3 (paused) with the reason on stderr", async (context) => {
  const world = await createCliWorld(context)
  world.mock.enqueue(writeFileCall("one.txt", "1\n"))
  const running = world.start(["run", "--project", world.project, "--yes", "write files"], {
    env: { XIONIMUS_AGENT__MAX_STEPS: "1" },
  })
  const result = await running.finished
  assert.equal(result.code, 3, result.stderr)
  assert.match(result.stderr, /^paused \(limit\): /m)
  assert.equal(await readFile(join(world.project, "one.txt"), "utf8"), "1\n")
})
