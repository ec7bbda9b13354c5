import type { PermissionAction, PermissionRule } from "@xionimus/protocol"

/** The built-in tools, offered as suggestions (a rule may name any tool or a wildcard). */
export const knownTools = [
  "*",
  "read_file",
  "list",
  "grep",
  "glob",
  "write_file",
  "edit",
  "run",
  "task",
  "todo",
]

/** A rule while it is edited: the text fields as typed. */
export interface RuleDraft {
  tool: string
  pattern: string
  action: PermissionAction
}

/** Why a rule cannot be saved; the code is shown beside the message so that it can be looked up. */
export type RuleProblemCode =
  | "RULE_TOOL_MISSING"
  | "RULE_TOOL_TOO_LONG"
  | "RULE_TOOL_INVALID"
  | "RULE_PATTERN_TOO_LONG"
  | "RULE_DUPLICATE"
  | "RULES_TOO_MANY"

export interface RuleProblem {
  /** The rule's index, or -1 for the whole list. */
  index: number
  field: "tool" | "pattern" | "rule"
  code: RuleProblemCode
}

/** The server's limits (PermissionRule in @xionimus/protocol). */
const maxRules = 1000
const maxTool = 200
const maxPattern = 2000

/**
 * Checks every rule before saving: a tool (id or wildcard, no spaces), a pattern within the limit
 * (empty means "*"), and no rule twice. Returns the rules to send when there is no problem.
 */
export function validateRules(drafts: readonly RuleDraft[]): {
  rules: PermissionRule[]
  problems: RuleProblem[]
} {
  const problems: RuleProblem[] = []
  const seen = new Map<string, number>()
  const rules = drafts.map((draft, index): PermissionRule => {
    const tool = draft.tool.trim()
    const pattern = draft.pattern.trim() || "*"
    if (!tool) problems.push({ index, field: "tool", code: "RULE_TOOL_MISSING" })
    else if (tool.length > maxTool) problems.push({ index, field: "tool", code: "RULE_TOOL_TOO_LONG" })
    else if (/\s/.test(tool)) problems.push({ index, field: "tool", code: "RULE_TOOL_INVALID" })
    if (pattern.length > maxPattern) problems.push({ index, field: "pattern", code: "RULE_PATTERN_TOO_LONG" })
    const key = `${tool}\u0000${pattern}`
    if (tool && seen.has(key)) problems.push({ index, field: "rule", code: "RULE_DUPLICATE" })
    else seen.set(key, index)
    return { tool, pattern, action: draft.action }
  })
  if (drafts.length > maxRules) problems.push({ index: -1, field: "rule", code: "RULES_TOO_MANY" })
  return { rules: problems.length === 0 ? rules : [], problems }
}

export function draftsOf(rules: readonly PermissionRule[]): RuleDraft[] {
  return rules.map(({ tool, pattern, action }) => ({ tool, pattern, action }))
}
