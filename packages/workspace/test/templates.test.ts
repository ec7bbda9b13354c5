import assert from "node:assert/strict"
import { spawnSync } from "node:child_process"
import { readdir } from "node:fs/promises"
import { delimiter, dirname, join } from "node:path"
import { test } from "node:test"
import { templatesDirectory } from "../src/index.ts"
import { createFixture, rejectsWith } from "./workspace-fixture.ts"

test("every template folder has a manifest entry and the other way round", async () => {
  await using fixture = await createFixture()
  const folders = (await readdir(templatesDirectory, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
  const listed = fixture.manager.templates()
  assert.deepEqual(listed.map((template) => template.id).sort(), folders)
  for (const template of listed) {
    assert.ok(template.name.length > 0 && template.description.length > 0 && template.testCommand.length > 0)
  }
})

test("an unknown template is TEMPLATE_NOT_FOUND and creates nothing", async () => {
  await using fixture = await createFixture()
  const source = { kind: "template", template: "cobol" } as unknown as Parameters<
    typeof fixture.manager.create
  >[1]
  await rejectsWith(fixture.manager.create("prj_cobol", source), "TEMPLATE_NOT_FOUND")
  assert.equal(await fixture.manager.exists("prj_cobol"), false)
})

for (const id of ["node-ts", "python", "static-web"] as const) {
  test(`a project made from the ${id} template passes its own test command`, async () => {
    await using fixture = await createFixture()
    const { manager, directory } = fixture
    const template = manager.templates().find((candidate) => candidate.id === id)
    assert.ok(template)
    await manager.create("prj_template", { kind: "template", template: id })
    const workspace = join(directory, "workspaces", "prj_template")
    // The command runs as a user would type it, with this process's Node first on PATH; without
    // NODE_TEST_CONTEXT, which would make the inner `node --test` skip its files.
    const { NODE_TEST_CONTEXT: _, ...environment } = process.env
    const result = spawnSync("sh", ["-c", template.testCommand], {
      cwd: workspace,
      encoding: "utf8",
      env: { ...environment, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}` },
      timeout: 120_000,
    })
    assert.equal(result.status, 0, `${template.testCommand} failed:\n${result.stdout}\n${result.stderr}`)
    const output = `${result.stdout}${result.stderr}`
    // Proof that tests ran, not just that the runner found nothing to do.
    if (template.testCommand.startsWith("node")) assert.match(output, /pass [1-9]/)
    else assert.match(output, /Ran [1-9]\d* tests?/)
  })
}
