import { cp } from "node:fs/promises"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { AppError } from "@xionimus/kit"
import type { TemplateId, TemplateInfo } from "./types.ts"

/** The starter templates; each one's files live in packages/workspace/templates/<id>/. */
export const templates: readonly TemplateInfo[] = [
  {
    id: "node-ts",
    name: "TypeScript on Node",
    description: "A TypeScript module and its test, run by Node's type stripping; no dependencies.",
    testCommand: "node --test",
  },
  {
    id: "python",
    name: "Python",
    description: "A Python module with a unittest test case; standard library only.",
    testCommand: "python3 -m unittest",
  },
  {
    id: "static-web",
    name: "Static web page",
    description: "index.html, style.css and script.js, with a Node test that checks the page.",
    testCommand: "node --test",
  },
]

export const templatesDirectory = fileURLToPath(new URL("../templates/", import.meta.url))

export function findTemplate(id: string): TemplateInfo {
  const template = templates.find((candidate) => candidate.id === id)
  if (!template) {
    throw new AppError(
      "TEMPLATE_NOT_FOUND",
      `There is no template "${id}". Choose one of: ${templates.map((item) => item.id).join(", ")}.`,
      { template: id },
    )
  }
  return template
}

/** Copies a template's files to `target`, a directory that does not exist yet. */
export async function copyTemplate(
  id: TemplateId,
  target: string,
  directory = templatesDirectory,
): Promise<void> {
  await cp(join(directory, findTemplate(id).id), target, {
    recursive: true,
    errorOnExist: true,
    force: false,
  })
}
