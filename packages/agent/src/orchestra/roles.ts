import { AppError } from "@xionimus/kit"
import {
  ContextSection,
  type RoleDuty as Duty,
  PackageState,
  RunPreset as Preset,
  type RunPresetInput as PresetInput,
  RunRole as Role,
  type RunRoleInput as RoleInput,
  RoleName,
  RoleTransition as Transition,
} from "@xionimus/protocol"
import { z } from "zod"

export type { Duty, PresetInput, RoleInput }
// The schemas live in packages/protocol/src/orchestra-roles.ts (the browser reads a run's state with them);
// here under the engine's names, with the default preset and the checks a preset must pass.
export { ContextSection, PackageState, Preset, Role, RoleName, Transition }

const readTools = ["read_file", "list", "glob", "grep"]

/** The four-role preset plus the human (docs/orchestra.md "Roles, tools and the state machine"). */
export const defaultPresetInput: PresetInput = {
  name: "default",
  roles: [
    {
      name: "conductor",
      duty: "conductor",
      model: "default",
      tools: [...readTools, "create_package", "submit_plan", "send_message", "patch_context"],
      transitions: [
        { from: "draft", to: "planned" },
        { from: "planned", to: "assigned" },
        { from: "approved", to: "done" },
        { from: "*", to: "blocked" },
        { from: "*", to: "cancelled" },
      ],
      owns: ["goal", "plan", "decisions"],
    },
    {
      name: "implementer",
      duty: "implementer",
      model: "default",
      tools: [...readTools, "write_file", "edit", "run", "todo", "send_message", "patch_context", "report"],
      transitions: [
        { from: "assigned", to: "in_progress" },
        { from: "in_progress", to: "ready_for_review" },
      ],
      owns: ["status"],
    },
    {
      name: "tester",
      duty: "tester",
      model: "default",
      tools: [...readTools, "run", "run_checks", "send_message", "patch_context"],
      transitions: [{ from: "ready_for_review", to: "in_progress" }],
      owns: ["status"],
    },
    {
      name: "reviewer",
      duty: "reviewer",
      model: "default",
      tools: [...readTools, "review", "send_message", "patch_context"],
      transitions: [
        { from: "ready_for_review", to: "approved" },
        { from: "ready_for_review", to: "in_progress" },
      ],
      owns: ["open_questions"],
    },
    {
      name: "human",
      duty: "human",
      tools: [],
      transitions: [
        { from: "*", to: "blocked" },
        { from: "*", to: "cancelled" },
        { from: "approved", to: "done" },
        { from: "approved", to: "in_progress" },
        { from: "blocked", to: "in_progress" },
      ],
      owns: ["goal", "decisions", "plan", "status", "open_questions"],
    },
  ],
}

/**
 * Validates a preset (the default one or a user's): the schema, unique role names, exactly one
 * conductor and one reviewer, at least one implementer, one human, a model for every agent role.
 * Raises PRESET_INVALID listing every problem.
 */
export function parsePreset(input: unknown, modelFor?: (model: string) => string): Preset {
  const parsed = Preset.safeParse(input)
  if (!parsed.success)
    throw new AppError("PRESET_INVALID", `The preset is not valid: ${z.prettifyError(parsed.error)}`, {
      problems: parsed.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
    })
  const preset = parsed.data
  const problems: string[] = []
  const names = new Set<string>()
  for (const role of preset.roles) {
    if (names.has(role.name)) problems.push(`the role name "${role.name}" is used twice`)
    names.add(role.name)
    if (role.duty !== "human" && !role.model) problems.push(`the role "${role.name}" needs a model`)
  }
  const count = (duty: Duty) => preset.roles.filter((role) => role.duty === duty).length
  if (count("conductor") !== 1) problems.push("a preset needs exactly one conductor")
  if (count("reviewer") !== 1) problems.push("a preset needs exactly one reviewer")
  if (count("tester") > 1) problems.push("a preset has at most one tester")
  if (count("implementer") < 1) problems.push("a preset needs at least one implementer")
  if (count("human") !== 1) problems.push("a preset needs exactly one human role")
  if (problems.length > 0)
    throw new AppError("PRESET_INVALID", `The preset is not valid: ${problems.join("; ")}.`, {
      problems: problems.map((message) => ({ path: "roles", message })),
    })
  if (!modelFor) return preset
  return {
    ...preset,
    roles: preset.roles.map((role) => (role.model ? { ...role, model: modelFor(role.model) } : role)),
  }
}

/** The default preset with every agent role on `model` (tests, and a project with one model). */
export function defaultPreset(model?: string): Preset {
  return parsePreset(defaultPresetInput, model ? () => model : undefined)
}

export function roleByDuty(preset: Preset, duty: Duty): Role | undefined {
  return preset.roles.find((role) => role.duty === duty)
}

export function roleNamed(preset: Preset, name: string): Role | undefined {
  return preset.roles.find((role) => role.name === name)
}
