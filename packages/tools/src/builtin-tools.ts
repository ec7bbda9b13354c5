import { edit } from "./edit.ts"
import { glob } from "./glob.ts"
import { grep } from "./grep.ts"
import { list } from "./list.ts"
import { readFile } from "./read-file.ts"
import { run } from "./run.ts"
import { task } from "./task.ts"
import { todo } from "./todo.ts"
import { createToolRegistry, type ToolRegistry } from "./tool-registry.ts"
import type { Tool } from "./types.ts"
import { writeFile } from "./write-file.ts"

/** Every built-in tool. */
export const builtinTools: readonly Tool[] = [readFile, writeFile, edit, list, glob, grep, run, todo, task]

/** A registry with the built-ins; `without` leaves some out (a sub-agent gets no `task`). */
export function createBuiltinRegistry(options: { without?: readonly string[] } = {}): ToolRegistry {
  const without = new Set(options.without ?? [])
  return createToolRegistry(builtinTools.filter((tool) => !without.has(tool.id)))
}
