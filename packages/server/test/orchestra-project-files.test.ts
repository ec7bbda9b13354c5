// A project's own orchestra presets and templates, read from its workspace (.xionimus/orchestra/…).
import assert from "node:assert/strict"
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, test } from "node:test"
import { Config } from "@xionimus/config"
import { createDirectoryFiles } from "@xionimus/workspace"
import { createProjectOrchestraFiles } from "../src/orchestra-project-files.ts"

let dir: string
let project: string
const files = createProjectOrchestraFiles(async (projectId) =>
  createDirectoryFiles({
    directory: join(dir, projectId),
    staging: join(dir, "staging"),
    limits: Config.parse({}).limits,
  }),
)

const hotfix = `---
name: hotfix
description: A one-line fix, no review round
title: Fix {{what}}
placeholders:
  what: what is broken
acceptance:
  - tests-pass: npm test
limits:
  reviewRounds: 1
---
Fix {{what}} with the smallest change.
`

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "xionimus-orchestra-files-"))
  project = join(dir, "prj")
  await mkdir(join(project, ".xionimus/orchestra/templates"), { recursive: true })
  await mkdir(join(project, ".xionimus/orchestra/presets"), { recursive: true })
  await mkdir(join(dir, "staging"))
  await writeFile(join(project, ".xionimus/orchestra/templates/hotfix.md"), hotfix)
  await writeFile(join(project, ".xionimus/orchestra/templates/notes.txt"), "not a template")
  await writeFile(join(project, ".xionimus/orchestra/presets/solo.json"), JSON.stringify({ roles: [] }))
  await writeFile(join(project, ".xionimus/orchestra/presets/broken.json"), "{ roles: ")
  await writeFile(join(dir, "outside.json"), JSON.stringify({ secret: true }))
  await symlink(join(dir, "outside.json"), join(project, ".xionimus/orchestra/presets/escape.json"))
})
after(() => rm(dir, { recursive: true, force: true }))

test("the project's templates are parsed from .xionimus/orchestra/templates/*.md", async () => {
  const templates = await files.templates("prj")
  assert.deepEqual(
    templates.map((template) => template.name),
    ["hotfix"],
  )
  assert.match(templates[0]!.body, /smallest change/)
})

test("a project without the folder has no templates and no presets", async () => {
  await mkdir(join(dir, "empty"))
  assert.deepEqual(await files.templates("empty"), [])
  assert.deepEqual(await files.presetNames("empty"), [])
  await assert.rejects(files.preset("empty", "solo"), { code: "PRESET_INVALID", message: /has none/ })
})

test("a preset by name; an unknown one lists what there is; bad JSON is PRESET_INVALID with the place", async () => {
  assert.deepEqual(await files.preset("prj", "solo"), { roles: [] })
  await assert.rejects(files.preset("prj", "team"), {
    code: "PRESET_INVALID",
    message: /no preset "team".*has: (broken|escape|solo)/,
  })
  await assert.rejects(files.preset("prj", "broken"), {
    code: "PRESET_INVALID",
    message: /presets\/broken\.json is not valid JSON/,
  })
  await assert.rejects(files.preset("prj", "../../outside"), { code: "PRESET_INVALID" })
})

test("a symlink planted in the folder cannot read a file outside the project", async () => {
  await assert.rejects(files.preset("prj", "escape"), (error: { code?: string }) => error.code !== undefined)
})

test("an invalid template names its file", async () => {
  await writeFile(join(project, ".xionimus/orchestra/templates/bad.md"), "no front matter")
  await assert.rejects(files.templates("prj"), { code: "TEMPLATE_INVALID", message: /templates\/bad\.md/ })
})
