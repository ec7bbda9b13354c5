import type {
  PermissionDecision,
  PermissionRequest,
  PermissionRule,
  PermissionRules,
} from "@xionimus/protocol"

export interface AppliedDecision {
  allowed: boolean
  /** For a denial: what the agent receives as the tool's error. */
  message?: string
  /** The rules after the decision ("allow always" adds allow rules to its scope). */
  rules: PermissionRules
  added: PermissionRule[]
}

/** Applies a user's answer to a request. Pure: the caller stores the new rules where they belong. */
export function applyDecision(
  rules: PermissionRules,
  request: Pick<PermissionRequest, "tool" | "always" | "patterns">,
  decision: PermissionDecision,
): AppliedDecision {
  switch (decision.kind) {
    case "allow-once":
      return { allowed: true, rules, added: [] }
    case "allow-always": {
      const patterns = decision.patterns ?? (request.always.length > 0 ? request.always : ["*"])
      const present = rules[decision.scope]
      const added = patterns
        .map((pattern): PermissionRule => ({ tool: request.tool, pattern, action: "allow" }))
        .filter((rule) => !present.some((old) => sameRule(old, rule)))
      return { allowed: true, rules: { ...rules, [decision.scope]: [...present, ...added] }, added }
    }
    case "deny":
      return { allowed: false, message: deniedByUser(request.tool, decision.message), rules, added: [] }
  }
}

export function deniedByUser(tool: string, message: string | undefined): string {
  const said = message?.trim()
  return said
    ? `The user denied this ${tool} call and said: "${said}". Follow what the user said; do not repeat the call unchanged.`
    : `The user denied this ${tool} call. Do not repeat it unchanged; choose another approach or ask the user how to proceed.`
}

function sameRule(a: PermissionRule, b: PermissionRule): boolean {
  return a.tool === b.tool && a.pattern === b.pattern && a.action === b.action
}
