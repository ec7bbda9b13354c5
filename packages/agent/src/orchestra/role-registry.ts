import { AppError } from "@xionimus/kit"
import type { PermissionAsk, Tool, ToolRegistry } from "@xionimus/tools"
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
  ): Promise<{ input: unknown; approved?: boolean } | { error: { code: string; message: string } }>
  /**
   * Answers the permission question a tool asks before it runs (instead of the session's gate): resolves
   * `{}` to go ahead, `{ input }` when a person edited the call (it then runs as edited), and rejects to
   * refuse it (the model reads the error). `approved` is true when a person already approved this very
   * call (at the danger-pattern gate, or by editing it).
   */
  onAsk?(tool: string, input: unknown, ask: PermissionAsk, approved: boolean): Promise<{ input?: unknown }>
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
      let approved = false
      if (options.beforeRun) {
        const verdict = await options.beforeRun(id, input)
        if ("error" in verdict)
          return { status: "error", code: verdict.error.code, error: verdict.error.message }
        runInput = verdict.input
        approved = verdict.approved ?? false
      }
      const onAsk = options.onAsk
      // A call a person edited at its gate runs again with the edited input (at most once more).
      for (;;) {
        let edited: { input: unknown } | undefined
        const asked = runInput
        const callContext = onAsk
          ? {
              ...context,
              async ask(request: PermissionAsk) {
                const answer = await onAsk(id, asked, request, approved)
                if (answer.input === undefined) return
                edited = { input: answer.input }
                throw new AppError("TOOL_EDITED_AT_GATE", "A person edited this call; it runs as edited.")
              },
            }
          : context
        const outcome = await tool.run(runInput, callContext, onState)
        if (edited && !approved) {
          runInput = edited.input
          approved = true
          continue
        }
        if (outcome.status === "completed") options.afterRun?.(id, runInput)
        return outcome
      }
    },
  }
  return registry
}
