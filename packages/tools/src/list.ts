import type { FileEntry } from "@xionimus/workspace"
import { z } from "zod"
import { defineTool } from "./define-tool.ts"
import { loadDescription } from "./load-description.ts"

const maxEntries = 1000
const notDescended = new Set([".git", "node_modules"])

export const ListParameters = z.object({
  path: z.string().optional().describe("Folder relative to the project root; the root when absent"),
  depth: z.number().int().min(1).max(5).optional().describe("How many levels to list (default 1)"),
})

export const list = defineTool("list", {
  description: loadDescription(import.meta.url, "list.md"),
  parameters: ListParameters,
  permission: ({ path }) => ({ kind: "read", patterns: [path || "."], title: `List ${path || "."}` }),
  truncationHint: () => "List a subfolder, or use a smaller depth.",
  async execute({ path = "", depth = 1 }, context) {
    const lines: string[] = []
    let count = 0
    let capped = false

    async function walk(dir: string, level: number): Promise<void> {
      let cursor: string | undefined
      do {
        const page = await context.files.list(dir, { limit: 200, ...(cursor ? { cursor } : {}) })
        for (const entry of page.entries) {
          if (count >= maxEntries) {
            capped = true
            return
          }
          count += 1
          lines.push(`${"  ".repeat(level)}${label(entry)}`)
          const descend = entry.type === "directory" && level + 1 < depth
          // Never descend into .git or node_modules: they would crowd out the project's own files.
          if (descend && !notDescended.has(entry.name)) await walk(entry.path, level + 1)
        }
        cursor = page.nextCursor ?? undefined
      } while (cursor && !context.signal.aborted)
    }

    await walk(path, 0)
    const title = path === "" ? "." : path
    if (lines.length === 0) return { title, output: `"${title}" is empty.`, metadata: { count: 0 } }
    if (capped) lines.push("", `(Stopped after ${maxEntries} entries. List a subfolder to see more.)`)
    return { title, output: lines.join("\n"), metadata: { count } }
  },
})

function label(entry: FileEntry): string {
  if (entry.type === "directory") return `${entry.name}/`
  if (entry.type === "symlink") return `${entry.name}@`
  return entry.name
}
