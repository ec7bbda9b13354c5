import { z } from "zod"
import { applyEdits } from "./apply-edits.ts"
import { defineTool } from "./define-tool.ts"
import { loadDescription } from "./load-description.ts"
import { decodeText } from "./text-content.ts"

export const EditParameters = z.object({
  path: z.string().min(1).describe("Path relative to the project root"),
  edits: z
    .array(
      z.object({
        oldText: z.string().min(1).describe("Text to replace, exactly as in the file"),
        newText: z.string().describe("Text to put in its place"),
        replaceAll: z.boolean().optional().describe("Replace every occurrence"),
      }),
    )
    .min(1)
    .max(100)
    .describe("Applied in order, all or none"),
})

export const edit = defineTool("edit", {
  description: loadDescription(import.meta.url, "edit.md"),
  parameters: EditParameters,
  permission: ({ path, edits }) => ({
    kind: "edit",
    patterns: [path],
    title: `Edit ${path}`,
    metadata: { path, edits },
  }),
  async execute({ path, edits }, context) {
    const { entry, content } = await context.files.read(path)
    const before = decodeText(content, entry.path)
    const after = applyEdits(before, edits, entry.path)
    // The version check refuses the write when the file changed since it was read above.
    const written = await context.files.write(entry.path, Buffer.from(after, "utf8"), {
      expectedVersion: entry.version,
    })
    const count = edits.length === 1 ? "1 edit" : `${edits.length} edits`
    return {
      title: entry.path,
      output: `Applied ${count} to "${entry.path}".`,
      metadata: { changes: [{ path: entry.path, change: "updated" }], version: written.version },
    }
  },
})
