import { z } from "zod"
import { defineTool } from "./define-tool.ts"
import { loadDescription } from "./load-description.ts"
import { runRipgrep, searchRoot } from "./ripgrep.ts"

const maxFiles = 1000

export const GlobParameters = z.object({
  pattern: z.string().min(1).max(1000).describe("Glob, e.g. **/*.ts"),
  path: z.string().optional().describe("Folder to search, relative to the project root"),
})

export const glob = defineTool("glob", {
  description: loadDescription(import.meta.url, "glob.md"),
  parameters: GlobParameters,
  permission: ({ path }) => ({
    kind: "read",
    patterns: [path ?? "."],
    title: `Find files in ${path ?? "."}`,
  }),
  async execute({ pattern, path }, context) {
    const root = await searchRoot(context, path)
    // ripgrep matches globs against paths relative to the folder searched.
    const { stdout } = await runRipgrep(context, ["--files", `--glob=${pattern}`, "--", root])
    const files = stdout
      .split("\n")
      .filter((line) => line !== "")
      .map(stripDotSlash)
      .sort()
    const title = `${pattern}${path ? ` in ${path}` : ""}`
    if (files.length === 0) {
      return {
        title,
        output: `No files match "${pattern}"${path ? ` in "${path}"` : ""}.`,
        metadata: { count: 0 },
      }
    }
    const shown = files.slice(0, maxFiles)
    if (files.length > maxFiles) {
      shown.push("", `(${files.length} files match; showing the first ${maxFiles}. Use a narrower pattern.)`)
    }
    return { title, output: shown.join("\n"), metadata: { count: files.length } }
  },
})

export function stripDotSlash(line: string): string {
  return line.startsWith("./") ? line.slice(2) : line
}
