import { readFileSync } from "node:fs"

/**
 * Reads a tool's description from the .md file beside its module, once, when the module loads
 * (`loadDescription(import.meta.url, "read-file.md")`).
 */
export function loadDescription(moduleUrl: string, file: string): string {
  return readFileSync(new URL(file, moduleUrl), "utf8").trim()
}
