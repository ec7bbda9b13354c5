import { readFileSync } from "node:fs"
import { AppError } from "@xionimus/kit"
import { z } from "zod"
import { type Check, GateKind, PackageLimits } from "./run-events.ts"

/**
 * Work-package templates: Markdown with front matter (docs/orchestra.md). The front matter is a small
 * YAML subset: `key: value`, inline lists `[a, b]`, and one indented level of `- item` lists or
 * `key: value` maps. `{{name}}` placeholders are filled in the title, the acceptance and the body.
 */

export const TemplateFrontMatter = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "a lower-case name such as feature or db-migration"),
  description: z.string().min(1).max(500),
  title: z.string().min(1).max(200),
  placeholders: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/), z.string()).default({}),
  acceptance: z.array(z.string().min(1)).default([]),
  gates: z.array(GateKind.extract(["plan", "review"])).default([]),
  limits: PackageLimits.default(PackageLimits.parse({})),
})

export interface Template extends z.infer<typeof TemplateFrontMatter> {
  body: string
}

/** A template filled in: what a work package is created from. */
export interface FilledTemplate {
  template: string
  title: string
  fields: Record<string, string>
  instructions: string
  acceptance: Check[]
  gates: ("plan" | "review")[]
  limits: z.infer<typeof PackageLimits>
  globs: string[]
}

const placeholderPattern = /\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g

function scalar(raw: string): unknown {
  const text = raw.trim()
  if (text.startsWith("[") && text.endsWith("]"))
    return text
      .slice(1, -1)
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean)
      .map(scalar)
  if (/^".*"$/.test(text) || /^'.*'$/.test(text)) return text.slice(1, -1)
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text)
  if (text === "true" || text === "false") return text === "true"
  return text
}

function parseFrontMatter(lines: string[], problems: string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  let open: { key: string; value: unknown[] | Record<string, unknown> | undefined } | undefined
  for (const [index, line] of lines.entries()) {
    if (!line.trim() || line.trim().startsWith("#")) continue
    const indented = /^\s+/.test(line)
    const item = line.trim()
    if (indented && open) {
      if (item.startsWith("- ") || item === "-") {
        if (open.value === undefined) open.value = []
        if (Array.isArray(open.value)) open.value.push(item.slice(2).trim())
        else problems.push(`line ${index + 2}: a list item inside the map "${open.key}"`)
      } else {
        const at = item.indexOf(":")
        if (at < 1) {
          problems.push(`line ${index + 2}: expected "key: value"`)
          continue
        }
        if (open.value === undefined) open.value = {}
        if (Array.isArray(open.value))
          problems.push(`line ${index + 2}: a map entry inside the list "${open.key}"`)
        else open.value[item.slice(0, at).trim()] = scalar(item.slice(at + 1))
      }
      result[open.key] = open.value
      continue
    }
    if (indented) {
      problems.push(`line ${index + 2}: indented, but no key above it takes a list or map`)
      continue
    }
    const at = line.indexOf(":")
    if (at < 1) {
      problems.push(`line ${index + 2}: expected "key: value"`)
      continue
    }
    const key = line.slice(0, at).trim()
    const rest = line.slice(at + 1).trim()
    if (rest) {
      result[key] = scalar(rest)
      open = undefined
    } else open = { key, value: undefined }
  }
  return result
}

/** Parses and validates a template; TEMPLATE_INVALID lists every problem. */
export function parseTemplate(markdown: string, source = "template"): Template {
  const problems: string[] = []
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(markdown)
  if (!match)
    throw new AppError(
      "TEMPLATE_INVALID",
      `${source}: a template starts with front matter between two "---" lines.`,
      {
        problems: ["no front matter"],
      },
    )
  const raw = parseFrontMatter(match[1]!.split(/\r?\n/), problems)
  const parsed = TemplateFrontMatter.safeParse(raw)
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      problems.push(`${issue.path.join(".") || "front matter"}: ${issue.message}`)
  const body = match[2]!.trim()
  if (!body) problems.push("the body (the package's instructions) is empty")
  if (parsed.success) {
    const declared = new Set(Object.keys(parsed.data.placeholders))
    const used = new Set<string>()
    const scan = (text: string) => {
      for (const found of text.matchAll(placeholderPattern)) used.add(found[1]!)
    }
    scan(parsed.data.title)
    scan(body)
    for (const entry of parsed.data.acceptance) {
      scan(entry)
      if (!/^(tests-pass:\s*\S|files-within:\s*\S|reviewer-approval$)/.test(entry))
        problems.push(
          `acceptance "${entry}": use tests-pass: <command>, files-within: <globs> or reviewer-approval`,
        )
    }
    for (const name of used)
      if (!declared.has(name)) problems.push(`{{${name}}} is used but not declared in placeholders`)
    for (const name of declared)
      if (!used.has(name)) problems.push(`the placeholder "${name}" is declared but never used`)
  }
  if (problems.length > 0 || !parsed.success)
    throw new AppError("TEMPLATE_INVALID", `${source} is not a valid template: ${problems.join("; ")}.`, {
      problems,
    })
  return { ...parsed.data, body }
}

function parseCheck(entry: string): Check {
  if (entry.startsWith("tests-pass:"))
    return { kind: "tests-pass", command: entry.slice("tests-pass:".length).trim() }
  if (entry.startsWith("files-within:"))
    return {
      kind: "files-within",
      globs: entry
        .slice("files-within:".length)
        .split(",")
        .map((glob) => glob.trim())
        .filter(Boolean),
    }
  return { kind: "reviewer-approval" }
}

/**
 * Fills a template's placeholders. A missing (or blank) field is an error that lists every one
 * (TEMPLATE_FIELDS_MISSING, `details.missing`), worded so the conductor can call again.
 */
export function fillTemplate(template: Template, fields: Record<string, string>): FilledTemplate {
  const missing = Object.keys(template.placeholders).filter((name) => !fields[name]?.trim())
  if (missing.length > 0)
    throw new AppError(
      "TEMPLATE_FIELDS_MISSING",
      `The template "${template.name}" needs ${missing.map((name) => `${name} (${template.placeholders[name]})`).join(", ")}. Call again with every field filled in.`,
      { missing },
    )
  const fill = (text: string) =>
    text.replace(placeholderPattern, (_all, name: string) => fields[name]!.trim())
  const acceptance = template.acceptance.map((entry) => parseCheck(fill(entry)))
  const globs = acceptance.flatMap((check) => (check.kind === "files-within" ? check.globs : []))
  const known = Object.fromEntries(
    Object.keys(template.placeholders).map((name) => [name, fields[name]!.trim()]),
  )
  return {
    template: template.name,
    title: fill(template.title).slice(0, 200),
    fields: known,
    instructions: fill(template.body),
    acceptance,
    gates: template.gates,
    limits: template.limits,
    globs: globs.length > 0 ? globs : ["**"],
  }
}

export const shippedTemplateNames = [
  "feature",
  "bugfix",
  "refactor",
  "add-tests",
  "docs",
  "code-review",
] as const

/** The templates shipped with Xionimus (the Markdown files beside this module). */
export function shippedTemplates(): Template[] {
  return shippedTemplateNames.map((name) =>
    parseTemplate(
      readFileSync(new URL(`./templates/${name}.md`, import.meta.url), "utf8"),
      `templates/${name}.md`,
    ),
  )
}

/** Shipped templates plus a project's own (a project template replaces a shipped one of the same name). */
export function templateSet(projectTemplates: readonly Template[] = []): Map<string, Template> {
  const set = new Map(shippedTemplates().map((template) => [template.name, template]))
  for (const template of projectTemplates) set.set(template.name, template)
  return set
}
