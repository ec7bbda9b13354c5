import type {
  PermissionAction,
  PermissionEvaluation,
  PermissionKind,
  PermissionMode,
  PermissionRule,
  PermissionRules,
  PermissionScope,
} from "@xionimus/protocol"
import { matchWildcard, specificity, type WildcardKind } from "./wildcard.ts"

export interface PermissionPolicy {
  mode: PermissionMode
  rules: PermissionRules
  /** Whether commands run in an isolating sandbox; full-auto allows commands only then. */
  sandboxed: boolean
}

export interface PermissionCall {
  tool: string
  kind: PermissionKind
  /** What the call touches; empty means the tool as a whole. */
  patterns: readonly string[]
}

type ScopedRule = PermissionRule & { scope: PermissionScope }

const scopes: readonly PermissionScope[] = ["project", "user", "session"]
const actionWeight: Record<PermissionAction, number> = { allow: 0, ask: 1, deny: 2 }

/**
 * Decides one call. For each pattern of the call: a matching deny rule in any layer wins; otherwise
 * the most specific matching rule decides (tool before pattern, literal characters counted; on a tie
 * ask beats allow); no matching rule → the mode's default for the call's kind. Over several patterns
 * the strictest answer wins.
 */
export function evaluatePermission(policy: PermissionPolicy, call: PermissionCall): PermissionEvaluation {
  const kind: WildcardKind = call.kind === "execute" || call.kind === "other" ? "text" : "path"
  const rules: ScopedRule[] = scopes.flatMap((scope) =>
    policy.rules[scope].map((rule) => ({ ...rule, scope })),
  )
  const values = call.patterns.length > 0 ? call.patterns : [""]
  let decided: PermissionEvaluation | undefined
  for (const value of values) {
    const evaluation = evaluateOne(policy, call, rules, value, kind)
    if (!decided || actionWeight[evaluation.action] > actionWeight[decided.action]) decided = evaluation
    if (decided.action === "deny") break
  }
  return decided!
}

function evaluateOne(
  policy: PermissionPolicy,
  call: PermissionCall,
  rules: ScopedRule[],
  value: string,
  kind: WildcardKind,
): PermissionEvaluation {
  const pattern = value === "" ? null : value
  const matching = rules.filter(
    (rule) => matchWildcard(rule.tool, call.tool, "text") && matchWildcard(rule.pattern, value, kind),
  )
  const deny = matching.find((rule) => rule.action === "deny")
  if (deny) return { action: "deny", rule: deny, pattern }
  const best = matching.sort(compareRules)[0]
  if (best) return { action: best.action, rule: best, pattern }
  return { action: modeDefault(policy, call.kind), rule: null, pattern }
}

/** Most specific first; on a tie, ask before allow. */
function compareRules(a: ScopedRule, b: ScopedRule): number {
  return (
    specificity(b.tool) - specificity(a.tool) ||
    specificity(b.pattern) - specificity(a.pattern) ||
    actionWeight[b.action] - actionWeight[a.action]
  )
}

/** What a mode does when no rule matches. */
export function modeDefault(policy: Pick<PermissionPolicy, "mode" | "sandboxed">, kind: PermissionKind) {
  switch (kind) {
    case "read":
    case "other":
      return "allow"
    case "edit":
      return policy.mode === "ask" ? "ask" : "allow"
    case "execute":
      return policy.mode === "full-auto" && policy.sandboxed ? "allow" : "ask"
  }
}
