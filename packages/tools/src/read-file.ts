import { AppError } from "@xionimus/kit"
import { z } from "zod"
import { defineTool } from "./define-tool.ts"
import { loadDescription } from "./load-description.ts"
import { decodeText, splitLines } from "./text-content.ts"

const maxLineLength = 2000
const defaultLimit = 2000

export const ReadFileParameters = z.object({
  path: z.string().min(1).describe("Path relative to the project root"),
  offset: z.number().int().min(1).optional().describe("First line to return (1-based)"),
  limit: z.number().int().min(1).max(defaultLimit).optional().describe("How many lines to return"),
})

export const readFile = defineTool("read_file", {
  description: loadDescription(import.meta.url, "read-file.md"),
  parameters: ReadFileParameters,
  // Reads are allowed by every mode; asking still lets a deny rule (".env*") take effect.
  permission: ({ path }) => ({ kind: "read", patterns: [path], title: `Read ${path}` }),
  truncationHint: ({ path }) => `Read "${path}" in smaller parts with offset and limit.`,
  async execute({ path, offset = 1, limit = defaultLimit }, context) {
    const { entry, content } = await context.files.read(path)
    const lines = splitLines(decodeText(content, entry.path))
    if (lines.length === 0) {
      return { title: entry.path, output: `"${entry.path}" is empty.`, metadata: { lines: 0 } }
    }
    if (offset > lines.length) {
      throw new AppError(
        "VALIDATION_FAILED",
        `"${entry.path}" has ${lines.length} lines, so offset ${offset} is past its end. Use an offset between 1 and ${lines.length}.`,
        { path: entry.path, lines: lines.length },
      )
    }
    const shown = lines.slice(offset - 1, offset - 1 + limit)
    const last = offset + shown.length - 1
    const numbered = shown.map((line, index) => `${offset + index}\t${cutLine(line)}`)
    if (last < lines.length) {
      numbered.push(
        "",
        `(Lines ${offset}-${last} of ${lines.length}. Call read_file with offset=${last + 1} to read on.)`,
      )
    }
    return {
      title: entry.path,
      output: numbered.join("\n"),
      metadata: { lines: lines.length, from: offset, to: last, version: entry.version },
    }
  },
})

function cutLine(line: string): string {
  return line.length > maxLineLength ? `${line.slice(0, maxLineLength)}… (line cut)` : line
}
