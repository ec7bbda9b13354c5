// The project screen's state (tree, file viewer, live updates) against the real server, without a browser:
// Node has fetch and WebSocket, so the same stores run here as in the page.
import assert from "node:assert/strict"
import { after, before, test } from "node:test"
import { type Client, newProgressId, type StreamClient } from "@xionimus/sdk"
import { applyCode, createCodeRun, versionOf } from "../src/stores/code-run.ts"
import { followImport, type ImportProgressView } from "../src/stores/import-progress.ts"
import { createProjectSession } from "../src/stores/project-session.ts"
import { createToasts } from "../src/stores/toast-store.ts"
import { eventually, type RealServer, startRealServer } from "./support/real-server.ts"

let real: RealServer
let client: Client
let streams: StreamClient

before(async () => {
  // The stores run as a program signed in with the owner's API key (the page uses the session cookie).
  real = await startRealServer()
  client = real.client
  streams = real.streams
})
after(() => real?.close())

test("the tree loads lazily and follows changes made elsewhere; the open file follows too", async () => {
  const project = await client.createProject({ name: "Session" })
  await client.createEntry(project.id, { path: "src/main.ts", type: "file", content: "one" })
  const toasts = createToasts()
  const session = createProjectSession({ client, streams, toasts, t: (key) => key, projectId: project.id })
  try {
    const names = (path: string) =>
      session.tree.state.get().directories[path]?.entries.map((entry) => entry.name)
    await eventually(() => session.tree.state.get().directories[""]?.loaded === true, "the root")
    assert.deepEqual(names(""), ["src"])
    assert.equal(session.tree.state.get().directories.src, undefined)
    await eventually(() => session.project.get().project?.name === "Session", "the project")

    session.tree.toggle("src")
    await eventually(() => session.tree.state.get().directories.src?.loaded === true, "src")
    assert.deepEqual(names("src"), ["main.ts"])
    assert.equal(session.tree.state.get().target, "src")

    session.file.open("src/main.ts")
    await eventually(() => session.file.state.get().kind === "text", "the file")

    await eventually(() => streams.lastSeq(project.id) !== undefined, "the subscription")
    await client.createEntry(project.id, { path: "src/extra.ts", type: "file", content: "" })
    await client.writeFile(project.id, { path: "src/main.ts", content: "two" })
    await eventually(() => names("src")?.includes("extra.ts") === true, "the new file in the tree")
    await eventually(() => {
      const view = session.file.state.get()
      return view.kind === "text" && view.content.content === "two"
    }, "the open file's new content")

    await client.remove(project.id, "src/main.ts")
    await eventually(() => session.file.state.get().kind === "deleted", "the deleted state")
    await client.renameProject(project.id, "Session 2")
    await eventually(() => session.project.get().project?.name === "Session 2", "the new name")
  } finally {
    session.dispose()
    toasts.dispose()
  }
})

test("uploads land in the target directory and errors keep their code", async () => {
  const project = await client.createProject({ name: "Uploads" })
  const toasts = createToasts()
  const session = createProjectSession({ client, streams, toasts, t: (key) => key, projectId: project.id })
  try {
    await session.uploads.upload([{ path: "docs/a.md", content: new Blob(["# A"]) }], "in")
    assert.equal((await client.readFile(project.id, "in/docs/a.md")).content, "# A")
    assert.equal(session.uploads.state.get().pending, 0)

    await session.uploads.upload([{ path: "../escape.txt", content: new Blob(["x"]) }], "")
    const error = session.uploads.state.get().error
    assert.ok(error)
    assert.equal(error.code, "PATH_INVALID")
    assert.equal(toasts.state.get().at(-1)?.code, "PATH_INVALID")
  } finally {
    session.dispose()
    toasts.dispose()
  }
})

test("a zip import's progress reaches the create form through the stream it names", async () => {
  const source = await client.createProject({ name: "Zip progress source" })
  for (const name of ["a", "b", "c", "d"]) {
    await client.createEntry(source.id, { path: `src/${name}.txt`, type: "file", content: name })
  }
  const archive = await (await fetch(client.archiveUrl(source.id), { headers: real.headers })).arrayBuffer()
  const progressId = newProgressId()
  assert.match(progressId, /^imp_[0-9A-Za-z]{22}$/)
  const seen: ImportProgressView[] = []
  const stop = followImport(streams, progressId, (progress) => seen.push(progress))
  const project = await client.importProject({
    name: "Zip progress",
    file: new Blob([archive]),
    filename: "progress.zip",
    progressId,
  })
  await eventually(() => seen.some((progress) => progress.ratio === 1), "the extraction to reach 100 %")
  stop()
  const phases = new Set(seen.map((progress) => progress.phase))
  assert.ok(phases.has("extracting") || phases.has("done"), [...phases].join(", "))
  assert.ok([...phases].every((phase) => ["preparing", "extracting", "done"].includes(phase)))
  assert.equal((await client.readFile(project.id, "src/d.txt")).content, "d")
})

test("a chat code block runs in the project's sandbox with its output streamed, and is written to a file", async () => {
  const project = await client.createProject({ name: "Code blocks" })
  const run = createCodeRun({ client, streams, projectId: project.id })
  await run.start("echo one; echo two >&2; exit 3")
  await eventually(() => run.state.get().status !== "running", "the run to end")
  const { status, output, result } = run.state.get()
  assert.equal(status, "done")
  assert.match(output, /one/)
  assert.match(output, /two/)
  assert.equal(result?.exitCode, 3)
  run.dispose()

  assert.equal(await versionOf(client, project.id, "src/new.py"), null)
  await applyCode(client, project.id, "src/new.py", "print(1)", null)
  const version = await versionOf(client, project.id, "src/new.py")
  assert.ok(version)
  assert.equal((await client.readFile(project.id, "src/new.py")).content, "print(1)\n")
  // Writing over it needs the version seen; a stale one is refused.
  await assert.rejects(applyCode(client, project.id, "src/new.py", "print(2)", null), {
    code: "VERSION_CONFLICT",
  })
  await applyCode(client, project.id, "src/new.py", "print(2)\n", version)
  assert.equal((await client.readFile(project.id, "src/new.py")).content, "print(2)\n")
})
