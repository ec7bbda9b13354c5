import { z } from "zod"

/** What a rule or a mode says about an action. */
export const PermissionAction = z.enum(["allow", "ask", "deny"])
export type PermissionAction = z.infer<typeof PermissionAction>

/**
 * How much the agent may do without asking: `ask` asks before edits and commands, `auto-edit` edits
 * without asking but asks before commands, `full-auto` runs everything without asking, but only where
 * commands run inside an isolating sandbox (elsewhere it behaves like `auto-edit`).
 */
export const PermissionMode = z.enum(["ask", "auto-edit", "full-auto"])
export type PermissionMode = z.infer<typeof PermissionMode>

/** The kind of action a tool call is, which the mode decides on when no rule matches. */
export const PermissionKind = z.enum(["read", "edit", "execute", "other"])
export type PermissionKind = z.infer<typeof PermissionKind>

/** Where a rule was set; the session layer holds "allow always" answers until the session ends. */
export const PermissionScope = z.enum(["project", "user", "session"])
export type PermissionScope = z.infer<typeof PermissionScope>

/**
 * One rule: `tool` and `pattern` are wildcards. For path arguments `*` stays within one path segment
 * and `**` crosses segments (`src/**`); for other arguments (commands) `*` matches anything
 * (`npm test*`). `?` matches one character.
 */
export const PermissionRule = z.object({
  tool: z.string().min(1).max(200).describe('Tool id or wildcard, e.g. "run" or "*"'),
  pattern: z.string().min(1).max(2000).default("*").describe('Argument wildcard, e.g. "npm test*"'),
  action: PermissionAction,
})
export type PermissionRule = z.infer<typeof PermissionRule>

/** The rule sets of each layer (project settings, the user's settings, answers given in the session). */
export const PermissionRules = z.object({
  project: z.array(PermissionRule).max(1000).default([]),
  user: z.array(PermissionRule).max(1000).default([]),
  session: z.array(PermissionRule).max(1000).default([]),
})
export type PermissionRules = z.infer<typeof PermissionRules>

/** A question put to the user (the data of `permission.asked`). */
export const PermissionRequest = z.object({
  id: z.string().min(1).max(64),
  sessionId: z.string(),
  messageId: z.string(),
  callId: z.string(),
  tool: z.string(),
  kind: PermissionKind,
  /** What the call touches: paths for edits, the command for `run`. */
  patterns: z.array(z.string()).max(100),
  /** Patterns an "allow always" answer would add as allow rules (e.g. `npm test*`). */
  always: z.array(z.string()).max(100),
  /** One line for the user, e.g. "Run npm test". */
  title: z.string().max(500),
  /** Tool-specific detail for the approval card (a diff, the full command). */
  metadata: z.record(z.string(), z.unknown()).default({}),
})
export type PermissionRequest = z.infer<typeof PermissionRequest>

/** The user's answer (the data of `permission.decided`, with the request id). */
export const PermissionDecision = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("allow-once") }),
  z.object({
    kind: z.literal("allow-always"),
    /** Where the added rules live; defaults to the session. */
    scope: PermissionScope.default("session"),
    /** Replaces the request's `always` patterns when given. */
    patterns: z.array(z.string().min(1).max(2000)).max(100).optional(),
  }),
  z.object({
    kind: z.literal("deny"),
    /** Passed to the agent as the tool's error, so that it can adapt. */
    message: z.string().max(4000).optional(),
  }),
])
export type PermissionDecision = z.infer<typeof PermissionDecision>

/** What the policy decided for one call, and why. */
export const PermissionEvaluation = z.object({
  action: PermissionAction,
  /** The rule that decided, or null when the mode's default did. */
  rule: PermissionRule.extend({ scope: PermissionScope }).nullable(),
  /** The pattern of the call that the decision is about. */
  pattern: z.string().nullable(),
})
export type PermissionEvaluation = z.infer<typeof PermissionEvaluation>
