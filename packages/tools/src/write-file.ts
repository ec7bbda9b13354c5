import { isAppError } from "@xionimus/kit"
import { z } from "zod"
import { defineTool } from "./define-tool.ts"
import { loadDescription } from "./load-description.ts"
import { splitLines } from "./text-content.ts"

export const WriteFileParameters = z.object({
  path: z.string().min(1).describe("Path relative to the project root"),
  content: z.string().describe("The complete new content of the file"),
})

export const writeFile = defineTool("write_file", {
  description: loadDescription(import.meta.url, "write-file.md"),
  parameters: WriteFileParameters,
  permission: ({ path, content }) => ({
    kind: "edit",
    patterns: [path],
    title: `Write ${path}`,
    metadata: { path, bytes: Buffer.byteLength(content, "utf8") },
  }),
  async execute({ path, content }, context) {
    const existed = await context.files.stat(path).then(
      () => true,
      (error: unknown) => {
        if (isAppError(error) && error.code === "FILE_NOT_FOUND") return false
        throw error
      },
    )
    const entry = await context.files.write(path, Buffer.from(content, "utf8"))
    const lines = splitLines(content).length
    const change = existed ? "updated" : "created"
    return {
      title: entry.path,
      output: `${existed ? "Replaced" : "Created"} "${entry.path}" (${lines} lines, ${entry.size} bytes).`,
      metadata: { changes: [{ path: entry.path, change }], version: entry.version },
    }
  },
})
