import assert from "node:assert/strict"
import { test } from "node:test"
import { isAppError } from "@xionimus/kit"
import { fillTemplate, parseTemplate, shippedTemplates, templateSet } from "../../src/orchestra/templates.ts"

const fields = {
  summary: "greet by name",
  details: "hello(name) returns Hello, name!",
  paths: "src/**, test/**",
  test_command: "node --test",
}

test("the shipped templates parse: feature, bugfix, refactor, add-tests, docs, code-review", () => {
  const templates = shippedTemplates()
  assert.deepEqual(
    templates.map((template) => template.name),
    ["feature", "bugfix", "refactor", "add-tests", "docs", "code-review"],
  )
  const feature = templates[0]!
  assert.deepEqual(feature.gates, ["review"])
  assert.deepEqual(feature.limits, { reviewRounds: 3, modelCalls: 40, sandboxSeconds: 600 })
  assert.deepEqual(Object.keys(feature.placeholders), ["summary", "details", "paths", "test_command"])
})

test("filling a template gives machine-checkable acceptance, globs, gates and limits", () => {
  const filled = fillTemplate(templateSet().get("feature")!, { ...fields, extra: "ignored" })
  assert.equal(filled.title, "Feature: greet by name")
  assert.deepEqual(filled.acceptance, [
    { kind: "tests-pass", command: "node --test" },
    { kind: "files-within", globs: ["src/**", "test/**"] },
    { kind: "reviewer-approval" },
  ])
  assert.deepEqual(filled.globs, ["src/**", "test/**"])
  assert.deepEqual(Object.keys(filled.fields), ["summary", "details", "paths", "test_command"])
  assert.match(filled.instructions, /^Implement: greet by name\n\nhello\(name\) returns Hello, name!/)
  assert.doesNotMatch(filled.instructions, /\{\{/)
})

test("a missing placeholder is an error that lists every missing field", () => {
  const feature = templateSet().get("feature")!
  assert.throws(
    () => fillTemplate(feature, { summary: "x", paths: "  " }),
    (error: unknown) => {
      assert.ok(isAppError(error))
      assert.equal(error.code, "TEMPLATE_FIELDS_MISSING")
      assert.deepEqual((error.details as { missing: string[] }).missing, ["details", "paths", "test_command"])
      assert.match(error.message, /details \(What it does/)
      return true
    },
  )
})

test("template validation lists every problem: undeclared and unused placeholders, bad acceptance, limits", () => {
  const broken = `---
name: Broken Name
description: x
title: "Fix {{thing}}"
placeholders:
  unused: never used
acceptance:
  - tests-green
  - tests-pass: {{command}}
gates: [review, lunch]
limits:
  reviewRounds: 0
---
Body`
  assert.throws(
    () => parseTemplate(broken, "broken.md"),
    (error: unknown) => {
      assert.ok(isAppError(error))
      assert.equal(error.code, "TEMPLATE_INVALID")
      const problems = (error.details as { problems: string[] }).problems.join("\n")
      assert.match(problems, /^name:/m)
      assert.match(problems, /^gates\.1:/m)
      assert.match(problems, /^limits\.reviewRounds:/m)
      return true
    },
  )
  const unknownPlaceholders = `---
name: ok
description: x
title: "Fix {{thing}}"
placeholders:
  unused: never used
acceptance:
  - tests-green
  - tests-pass: {{command}}
---
Body`
  assert.throws(
    () => parseTemplate(unknownPlaceholders),
    (error: unknown) => {
      assert.ok(isAppError(error))
      const problems = (error.details as { problems: string[] }).problems
      assert.deepEqual(problems, [
        'acceptance "tests-green": use tests-pass: <command>, files-within: <globs> or reviewer-approval',
        "{{thing}} is used but not declared in placeholders",
        "{{command}} is used but not declared in placeholders",
        'the placeholder "unused" is declared but never used',
      ])
      return true
    },
  )
  assert.throws(() => parseTemplate("no front matter"), /front matter/)
  assert.throws(() => parseTemplate("---\nname: x\ndescription: y\ntitle: z\n---\n"), /body .* is empty/)
})

test("a project's own template replaces a shipped one of the same name", () => {
  const own = parseTemplate(`---
name: docs
description: Our docs
title: "Docs {{what}}"
placeholders:
  what: What to document
---
Write {{what}} in docs/.`)
  const set = templateSet([own])
  assert.equal(set.get("docs")?.description, "Our docs")
  assert.equal(set.size, 6)
  assert.deepEqual(fillTemplate(own, { what: "the CLI" }).globs, ["**"])
})
