import { z } from "zod"

/**
 * An orchestra run's roles and preset as data (docs/orchestra.md "Roles, tools and the state machine"):
 * the schemas the engine validates with (packages/agent/src/orchestra/roles.ts adds the default preset and
 * its checks) and the browser reads a run's state with.
 */

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
export const RoleDuty = z.enum(["conductor", "implementer", "tester", "reviewer", "human"])
export type RoleDuty = z.infer<typeof RoleDuty>

/** A transition a role may make; `from: "*"` is any state that is not done or cancelled. */
export const RoleTransition = z.strictObject({
  from: z.union([PackageState, z.literal("*")]),
  to: PackageState,
})
export type RoleTransition = z.infer<typeof RoleTransition>

export const RoleName = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,23}$/,
    "a lower-case name such as implementer or db-expert (at most 24 characters)",
  )

export const RunRole = z.strictObject({
  name: RoleName,
  duty: RoleDuty,
  /** The model (provider/model) or a router role; absent for the human. */
  model: z.string().min(1).optional(),
  /** Tool ids this role may call; anything else is refused before it runs (TOOL_NOT_ALLOWED_FOR_ROLE). */
  tools: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/)).default([]),
  transitions: z.array(RoleTransition).default([]),
  owns: z.array(ContextSection).default([]),
  /** Added to the role's briefing. */
  instructions: z.string().max(20_000).optional(),
})
export type RunRole = z.infer<typeof RunRole>
export type RunRoleInput = z.input<typeof RunRole>

export const RunPreset = z.strictObject({
  name: z.string().min(1).max(64),
  roles: z.array(RunRole).min(1),
  /** Steps run at the same time (parallel implementers on disjoint packages). */
  maxParallel: z.number().int().min(1).max(32).default(4),
  /** `run` commands matching one of these (substring or /regex/) open a dangerous-tool gate first. */
  dangerPatterns: z.array(z.string().min(1)).default(["rm -rf", "git push", "curl ", "wget ", "sudo "]),
  /** Malformed outputs per package before it is blocked. */
  retryBound: z.number().int().min(1).max(20).default(3),
  /** Human gates on for every package (templates add theirs). */
  gates: z.array(z.enum(["plan", "review"])).default(["plan"]),
})
export type RunPreset = z.infer<typeof RunPreset>
export type RunPresetInput = z.input<typeof RunPreset>
