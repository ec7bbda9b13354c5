import { z } from "zod"
import { defineTool } from "./define-tool.ts"
import { stripDotSlash } from "./glob.ts"
import { loadDescription } from "./load-description.ts"
import { runRipgrep, searchRoot } from "./ripgrep.ts"

export const GrepParameters = z.object({
  pattern: z.string().min(1).max(1000).describe("Regular expression (or text with literal: true)"),
  path: z.string().optional().describe("Folder or file to search, relative to the project root"),
  include: z.string().max(1000).optional().describe("Only files whose names match this glob, e.g. *.ts"),
  literal: z.boolean().optional().describe("Search for the pattern as plain text"),
  ignoreCase: z.boolean().optional(),
  context: z.number().int().min(0).max(10).optional().describe("Lines of context around each match"),
})

export const grep = defineTool("grep", {
  description: loadDescription(import.meta.url, "grep.md"),
  parameters: GrepParameters,
  permission: ({ path }) => ({ kind: "read", patterns: [path ?? "."], title: `Search ${path ?? "."}` }),
  truncationHint: () => "Use a more specific pattern, a path or include to narrow the search.",
  async execute({ pattern, path, include, literal, ignoreCase, context: around }, context) {
    const root = await searchRoot(context, path)
    const args = [
      "--line-number",
      "--with-filename",
      "--no-heading",
      "--max-columns=500",
      "--max-columns-preview",
      ...(literal ? ["--fixed-strings"] : []),
      ...(ignoreCase ? ["--ignore-case"] : []),
      ...(include ? [`--glob=${include}`] : []),
      ...(around ? [`--context=${around}`] : []),
      // As one argument, so that a pattern starting with "-" is never read as a flag.
      `--regexp=${pattern}`,
      "--",
      root,
    ]
    const { exitCode, stdout } = await runRipgrep(context, args)
    const title = `${pattern}${path ? ` in ${path}` : ""}`
    if (exitCode === 1 || stdout.trim() === "") {
      return {
        title,
        output: `No matches for ${JSON.stringify(pattern)}${path ? ` in "${path}"` : ""}.`,
        metadata: { matches: 0 },
      }
    }
    const lines = stdout.replace(/\n$/, "").split("\n").map(stripDotSlash)
    const matches = lines.filter((line) => /^.+?:\d+:/.test(line)).length
    return { title, output: lines.join("\n"), metadata: { matches } }
  },
})
