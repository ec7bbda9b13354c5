import assert from "node:assert/strict"
import { mkdir, readFile, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { test } from "node:test"
import { createCliWorld, textReply, writeFileCall } from "./cli-process.ts"

interface ListedSession {
  id: string
  projectId: string
  title: string
  head: number
  runState: string
}

test("sessions list/show/export/import round trip over the data directory", {
  timeout: 120_000,
}, async (context) => {
  const world = await createCliWorld(context)
  world.mock.enqueue(writeFileCall("notes.md", "# Notes\n"), textReply("Created notes.md with a heading."))
  const ran = await world.run(["run", "--project", world.project, "--yes", "start the notes"])
  assert.equal(ran.code, 0, ran.stderr)

  const listed = await world.run(["sessions", "list"])
  assert.equal(listed.code, 0, listed.stderr)
  assert.match(listed.stdout, /^ses_\S+ {2}\S+ {2}idle {8}\s+\d+ events {2}my-project {2}start the notes$/m)
  const [session] = JSON.parse((await world.run(["sessions", "list", "--json"])).stdout) as ListedSession[]
  assert.ok(session)

  const shown = await world.run(["sessions", "show", session.id])
  assert.equal(shown.code, 0, shown.stderr)
  assert.match(shown.stdout, /start the notes/)
  assert.match(shown.stdout, /Created notes\.md with a heading\./)
  assert.match(shown.stdout, /write_file/)

  const events = (await world.run(["sessions", "show", session.id, "--json"])).stdout.trim().split("\n")
  assert.equal(events.length, session.head)

  const exportFile = join(world.home, "session.json")
  const exported = await world.run(["sessions", "export", session.id, "--output", exportFile])
  assert.equal(exported.code, 0, exported.stderr)
  const document = JSON.parse(await readFile(exportFile, "utf8"))
  assert.equal(document.format, "xionimus.session")
  assert.equal(document.events.length, session.head)
  const markdown = await world.run(["sessions", "export", session.id, "--format", "markdown"])
  assert.equal(markdown.stdout, shown.stdout)

  // Into another directory, which the import registers as a project of its own.
  const other = join(world.home, "other-project")
  await mkdir(other)
  const imported = await world.run(["sessions", "import", exportFile, "--project", other])
  assert.equal(imported.code, 0, imported.stderr)
  const importedId = imported.stdout.match(/imported (ses_\S+) into other-project \(prj_/)?.[1]
  assert.ok(importedId, imported.stdout)
  assert.notEqual(importedId, session.id)
  const [copy] = JSON.parse(
    (await world.run(["sessions", "list", "--project", other, "--json"])).stdout,
  ) as ListedSession[]
  assert.equal(copy?.id, importedId)
  assert.notEqual(copy?.projectId, session.projectId)
  const copyShown = await world.run(["sessions", "show", importedId])
  assert.match(copyShown.stdout, /Created notes\.md with a heading\./)

  // Both projects' sessions without --project; the original project's by its id too.
  const all = JSON.parse((await world.run(["sessions", "list", "--json"])).stdout) as ListedSession[]
  assert.deepEqual(all.map((entry) => entry.id).sort(), [session.id, importedId].sort())
  const byId = JSON.parse(
    (await world.run(["sessions", "list", "--project", session.projectId, "--json"])).stdout,
  ) as ListedSession[]
  assert.deepEqual(
    byId.map((entry) => entry.id),
    [session.id],
  )
})

test("sessions import refuses a changed export with EXPORT_INVALID, and unknown ids fail clearly", async (context) => {
  const world = await createCliWorld(context)
  world.mock.enqueue(textReply("hello"))
  assert.equal((await world.run(["run", "--project", world.project, "say hello"])).code, 0)
  const [session] = JSON.parse((await world.run(["sessions", "list", "--json"])).stdout) as ListedSession[]
  const exported = JSON.parse((await world.run(["sessions", "export", session?.id ?? ""])).stdout)
  const text = exported.events.find((event: { type: string }) => event.type === "assistant.text")
  text.data.text = "tampered"
  const file = join(world.home, "tampered.json")
  await writeFile(file, JSON.stringify(exported))
  const refused = await world.run(["sessions", "import", file, "--project", world.project])
  assert.equal(refused.code, 1)
  assert.match(refused.stderr, /error EXPORT_INVALID/)

  await writeFile(file, "not json")
  const notJson = await world.run(["sessions", "import", file, "--project", world.project])
  assert.equal(notJson.code, 1)
  assert.match(notJson.stderr, /error EXPORT_INVALID: .* is not JSON/)

  const missing = await world.run(["sessions", "show", "ses_missing"])
  assert.equal(missing.code, 1)
  assert.match(missing.stderr, /error SESSION_NOT_FOUND/)
  const unknownProject = await world.run(["sessions", "list", "--project", join(world.home, "nowhere")])
  assert.equal(unknownProject.code, 1)
  assert.match(unknownProject.stderr, /error PROJECT_NOT_FOUND/)
  const badFormat = await world.run(["sessions", "export", session?.id ?? "", "--format", "pdf"])
  assert.equal(badFormat.code, 2)
})
