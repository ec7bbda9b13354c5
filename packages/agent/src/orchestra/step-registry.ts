import { posix } from "node:path"
import { AppError } from "@xionimus/kit"
import { type CodedReason, runReason } from "@xionimus/protocol"
import { evaluatePermission, type PermissionAsk, type ToolRegistry } from "@xionimus/tools"
import type { PermissionSettings } from "../types.ts"
import { editedInput, openGate } from "./gates.ts"
import { orchestraTools, type StepScope } from "./orchestra-tools.ts"
import { roleRegistry } from "./role-registry.ts"
import type { Role } from "./roles.ts"
import { runEvent, type StepStartedData } from "./run-events.ts"
import type { RunGate, RunPackage } from "./run-state.ts"
import type { StepHost } from "./run-step.ts"

/** What a step's tools are made of. */
export interface StepRegistryContext {
  host: StepHost
  step: StepStartedData
  role: Role
  /** The package the step works on, if any. */
  item: RunPackage | undefined
  /** The permission policy of the run's project and creator. */
  permissions: PermissionSettings
  /** Whether the step's commands run in an isolated sandbox (the policy may ask less then). */
  sandboxed: boolean
  scope: StepScope
  signal: AbortSignal
  /** Paths the step wrote (filled as its writing tools run). */
  written: Set<string>
}

const writingTools = new Set(["write_file", "edit"])

/**
 * A step's tools: the role's allow-list (refusals recorded), the orchestra's own tools, and the gates a
 * call may wait at: a command matching the preset's danger patterns, or a call the permission policy
 * would ask a person about (docs/orchestra.md "Gates"). A rejected call never runs.
 */
export function stepRegistry(context: StepRegistryContext): ToolRegistry {
  const { host, step, role, item, permissions, scope, written } = context
  const preset = scope.state().preset!
  const { emit, nextId } = scope
  const turnSignal = context.signal
  const atGate = async (reason: CodedReason, payload: Record<string, unknown>): Promise<RunGate> => {
    const gateId = nextId("gat")
    if (!host.live().gates.some((gate) => gate.id === gateId))
      await host.append([
        openGate(gateId, {
          kind: "dangerous-tool",
          stepId: step.stepId,
          ...(item ? { packageId: item.id } : {}),
          reason,
          payload,
        }),
      ])
    return host.waitForGate(gateId, turnSignal)
  }
  const rejectedAt = (gate: RunGate, what: string) =>
    new AppError(
      "TOOL_REJECTED_AT_GATE",
      `A person rejected this ${what}; it did not run. They said: ${gate.comment ?? ""}. Do not run it again; find another way or send a message.`,
    )
  const runtime = { sandboxed: context.sandboxed }
  return roleRegistry({
    role,
    base: host.tools,
    orchestra: orchestraTools(scope),
    onRefused: (tool, reason) =>
      emit(
        runEvent(nextId("ref"), "tool.refused", {
          stepId: step.stepId,
          role: role.name,
          tool,
          code: "TOOL_NOT_ALLOWED_FOR_ROLE",
          reason,
        }),
      ),
    beforeRun: async (tool, input) => {
      const command = tool === "run" ? (input as { command?: unknown } | null)?.command : undefined
      if (typeof command === "string" && item) {
        // A package's commands run at most its template's sandbox time.
        const asked = (input as { timeoutSeconds?: unknown }).timeoutSeconds
        const seconds =
          typeof asked === "number"
            ? Math.min(asked, item.limits.sandboxSeconds)
            : Math.min(120, item.limits.sandboxSeconds)
        input = { ...(input as object), timeoutSeconds: seconds }
      }
      if (typeof command !== "string" || !isDangerous(command, preset.dangerPatterns)) return { input }
      const gate = await atGate(runReason("gate.dangerousCommand", { role: role.name, command }), {
        tool,
        command,
      })
      if (gate.status === "rejected") {
        const { code, message } = rejectedAt(gate, "command")
        return { error: { code, message } }
      }
      if (gate.status === "edited") return { input: editedInput(input, gate.editedPayload), approved: true }
      return { input, approved: true }
    },
    async onAsk(tool, input, ask, approved) {
      const evaluation = evaluatePermission(
        {
          mode: permissions.mode,
          rules: { project: permissions.project, user: permissions.user, session: [] },
          sandboxed: runtime.sandboxed,
        },
        ask,
      )
      if (evaluation.action === "deny")
        throw new AppError(
          "TOOL_DENIED",
          `The permission policy forbids ${ask.tool}${evaluation.pattern ? ` on "${evaluation.pattern}"` : ""}. Do not retry it; choose another way or send a message.`,
        )
      // A person decided this very call already (danger-pattern gate, or an edit): it is not asked twice.
      if (evaluation.action === "allow" || approved) return {}
      const gate = await atGate(
        runReason("gate.permission", { role: role.name, action: describeAsk(ask) }),
        permissionPayload(tool, input, ask),
      )
      if (gate.status === "rejected") throw rejectedAt(gate, "call")
      if (gate.status === "edited") return { input: editedInput(input, gate.editedPayload) }
      return {}
    },
    afterRun: (tool, input) => {
      const path = (input as { path?: unknown } | null)?.path
      if (writingTools.has(tool) && typeof path === "string")
        written.add(posix.normalize(path).replace(/^\.?\//, ""))
    },
  })
}

function isDangerous(command: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern)
    if (regex) return new RegExp(regex[1]!, regex[2]).test(command)
    return command.includes(pattern)
  })
}

/** "run npm test", "write src/a.js": what the call does, for the gate's reason. */
function describeAsk(ask: PermissionAsk): string {
  const title = ask.title.trim()
  return title ? title.charAt(0).toLowerCase() + title.slice(1) : `call ${ask.tool}`
}

/** A permission gate's payload: the call (a command at the top, as the danger-pattern gate has it). */
function permissionPayload(tool: string, input: unknown, ask: PermissionAsk): Record<string, unknown> {
  const command = (input as { command?: unknown } | null)?.command
  return {
    tool,
    ...(tool === "run" && typeof command === "string" ? { command } : {}),
    input,
    title: ask.title,
    kind: ask.kind,
    patterns: ask.patterns,
  }
}
