import { AppError } from "@xionimus/kit"
import { z } from "zod"

/** The work-package states (docs/orchestra.md). */
export const PackageState = z.enum([
  "draft",
  "planned",
  "assigned",
  "in_progress",
  "ready_for_review",
  "approved",
  "done",
  "blocked",
  "cancelled",
])
export type PackageState = z.infer<typeof PackageState>

/** The sections of CONTEXT.md, in the order they are rendered. */
export const ContextSection = z.enum(["goal", "decisions", "plan", "status", "open_questions"])
export type ContextSection = z.infer<typeof ContextSection>

/** What the scheduler asks a role to do; a preset has one conductor and reviewer, one or more implementers. */
export const Duty = z.enum(["conductor", "implementer", "tester", "reviewer", "human"])
export type Duty = z.infer<typeof Duty>

/** A transition a role may make; `from: "*"` is any state that is not done or cancelled. */
export const Transition = z.strictObject({ from: z.union([PackageState, z.literal("*")]), to: PackageState })
export type Transition = z.infer<typeof Transition>

export const RoleName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,23}$/,
    "a lower-case name such as implementer or db-expert (at most 24 characters)",
  )

export const Role = z.strictObject({
  name: RoleName,
  duty: Duty,
  /** The model (provider/model) or a router role; absent for the human. */
  model: z.string().min(1).optional(),
  /** Tool ids this role may call; anything else is refused before it runs (TOOL_NOT_ALLOWED_FOR_ROLE). */
  tools: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/)).default([]),
  transitions: z.array(Transition).default([]),
  owns: z.array(ContextSection).default([]),
  /** Added to the role's briefing. */
  instructions: z.string().max(20_000).optional(),
})
export type Role = z.infer<typeof Role>
export type RoleInput = z.input<typeof Role>

export const Preset = z.strictObject({
  name: z.string().min(1).max(64),
  roles: z.array(Role).min(1),
  /** Steps run at the same time (parallel implementers on disjoint packages). */
  maxParallel: z.number().int().min(1).max(32).default(4),
  /** `run` commands matching one of these (substring or /regex/) open a dangerous-tool gate first. */
  dangerPatterns: z.array(z.string().min(1)).default(["rm -rf", "git push", "curl ", "wget ", "sudo "]),
  /** Malformed outputs per package before it is blocked. */
  retryBound: z.number().int().min(1).max(20).default(3),
  /** Human gates on for every package (templates add theirs). */
  gates: z.array(z.enum(["plan", "review"])).default(["plan"]),
})
export type Preset = z.infer<typeof Preset>
export type PresetInput = z.input<typeof Preset>

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
