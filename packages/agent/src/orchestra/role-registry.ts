import type { Tool, ToolRegistry } from "@xionimus/tools"
import type { Role } from "./roles.ts"

export interface RoleRegistryOptions {
  role: Role
  /** The project's tools (built-ins, plugins). */
  base: ToolRegistry
  /** The orchestra's tools bound to this step. */
  orchestra: readonly Tool[]
  /** Records a refused call (`tool.refused`). */
  onRefused(tool: string, reason: string): void
  /**
   * Called before a call runs: returns the input to run (a person may have edited it) or an error
   * the model reads instead (a rejected dangerous command is never executed).
   */
  beforeRun?(
    tool: string,
    input: unknown,
  ): Promise<{ input: unknown } | { error: { code: string; message: string } }>
  /** A call completed (the engine collects the files an implementer wrote). */
  afterRun?(tool: string, input: unknown): void
}

/**
 * The tools of one role's step: only its allow-list is offered, and a call of anything else is refused
 * before it runs (TOOL_NOT_ALLOWED_FOR_ROLE, worded for the model) and recorded.
 */
export function roleRegistry(options: RoleRegistryOptions): ToolRegistry {
  const { role, base } = options
  const own = new Map(options.orchestra.map((tool) => [tool.id, tool]))
  const lookup = (id: string): Tool | undefined => own.get(id) ?? base.get(id)
  const allowed = (): Tool[] =>
    role.tools
      .map(lookup)
      .filter((tool): tool is Tool => tool !== undefined)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const registry: ToolRegistry = {
    register() {
      throw new Error("a role's step registry is fixed; register tools on the project's registry")
    },
    get: (id) => (role.tools.includes(id) ? lookup(id) : undefined),
    list: allowed,
    definitions: () =>
      allowed().map(({ id, description, inputSchema }) => ({ id, description, inputSchema })),
    async run(id, input, context, onState) {
      if (!role.tools.includes(id)) {
        const reason = `The ${role.name} role may not call ${id}. Your tools: ${role.tools.join(", ") || "none"}. Do the work with those, or send a message to the role that can.`
        options.onRefused(id, reason)
        return { status: "error", code: "TOOL_NOT_ALLOWED_FOR_ROLE", error: reason }
      }
      const tool = lookup(id)
      if (!tool)
        return {
          status: "error",
          code: "TOOL_NOT_FOUND",
          error: `The tool ${id} is not available in this project.`,
        }
      let runInput = input
      if (options.beforeRun) {
        const verdict = await options.beforeRun(id, input)
        if ("error" in verdict)
          return { status: "error", code: verdict.error.code, error: verdict.error.message }
        runInput = verdict.input
      }
      const outcome = await tool.run(runInput, context, onState)
      if (outcome.status === "completed") options.afterRun?.(id, runInput)
      return outcome
    },
  }
  return registry
}
