import type { PermissionSettings } from "@xionimus/agent"
import type { Config } from "@xionimus/config"
import type { PermissionMode, PermissionRule, PermissionScope } from "@xionimus/protocol"
import type { Store } from "@xionimus/store"

const strictness: Record<PermissionMode, number> = { ask: 0, "auto-edit": 1, "full-auto": 2 }

/** The stricter of two modes (ask < auto-edit < full-auto). */
function stricter(a: PermissionMode, b: PermissionMode): PermissionMode {
  return strictness[a] <= strictness[b] ? a : b
}

/**
 * What applies to a turn: the project's and the user's rules, and the mode — the user's own when set,
 * but never looser than the project's; neither set: `config.agent.mode`.
 */
export async function effectivePermissions(
  store: Store,
  config: Config,
  projectId: string,
  userId: string | null,
): Promise<PermissionSettings> {
  const [project, user] = await Promise.all([
    store.permissionSettings.get("project", projectId),
    userId ? store.permissionSettings.get("user", userId) : undefined,
  ])
  const projectMode = project?.mode ?? null
  const userMode = user?.mode ?? null
  const mode =
    projectMode && userMode ? stricter(projectMode, userMode) : (userMode ?? projectMode ?? config.agent.mode)
  return { mode, project: project?.rules ?? [], user: user?.rules ?? [] }
}

/** Adds "allow always" answers to the project's or the user's rules (a rule already there is kept once). */
export async function savePermissionRules(
  store: Store,
  projectId: string,
  userId: string | null,
  scope: Exclude<PermissionScope, "session">,
  rules: PermissionRule[],
): Promise<void> {
  const ownerId = scope === "project" ? projectId : userId
  if (!ownerId) return
  const current = await store.permissionSettings.get(scope, ownerId)
  const known = new Set((current?.rules ?? []).map(ruleKey))
  const added = rules.filter((rule) => !known.has(ruleKey(rule)))
  if (added.length === 0) return
  await store.permissionSettings.put(scope, ownerId, {
    mode: current?.mode ?? null,
    rules: [...(current?.rules ?? []), ...added],
  })
}

const ruleKey = (rule: PermissionRule) => `${rule.tool}\u0000${rule.pattern}\u0000${rule.action}`
