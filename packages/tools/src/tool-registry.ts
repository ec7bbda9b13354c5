import type { Disposer } from "@xionimus/kit"
import type { ToolState } from "./tool-state.ts"
import type { Tool, ToolContext, ToolOutcome } from "./types.ts"

/** The tools one agent may call. Built-ins and plugins register the same way. */
export interface ToolRegistry {
  /** Adds a tool; the disposer removes it again. Raises on a duplicate id. */
  register(tool: Tool): Disposer
  get(id: string): Tool | undefined
  /** Every tool, ordered by id. */
  list(): Tool[]
  /** What the model is told about each tool. */
  definitions(): { id: string; description: string; inputSchema: Record<string, unknown> }[]
  /** Runs a call; an unknown id becomes an error outcome naming the tools that exist. */
  run(
    id: string,
    input: unknown,
    context: ToolContext,
    onState?: (state: ToolState) => void,
  ): Promise<ToolOutcome>
}

export function createToolRegistry(tools: readonly Tool[] = []): ToolRegistry {
  const byId = new Map<string, Tool>()

  const registry: ToolRegistry = {
    register(tool) {
      if (byId.has(tool.id)) throw new Error(`a tool with the id "${tool.id}" is already registered`)
      byId.set(tool.id, tool)
      return () => {
        if (byId.get(tool.id) === tool) byId.delete(tool.id)
      }
    },
    get(id) {
      return byId.get(id)
    },
    list() {
      return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    },
    definitions() {
      return registry.list().map(({ id, description, inputSchema }) => ({ id, description, inputSchema }))
    },
    async run(id, input, context, onState) {
      const tool = byId.get(id)
      if (tool) return tool.run(input, context, onState)
      const known = registry
        .list()
        .map((entry) => entry.id)
        .join(", ")
      return {
        status: "error",
        code: "TOOL_NOT_FOUND",
        error: `There is no tool named "${id}". Use one of: ${known}.`,
      }
    },
  }
  for (const tool of tools) registry.register(tool)
  return registry
}
