import {
  PermissionAskedData,
  PermissionDecidedData,
  type PermissionRule,
  type StoredEvent,
} from "@xionimus/protocol"
import { applyDecision } from "@xionimus/tools"
import type { z } from "zod"

/**
 * The "allow always for this session" rules a session's log holds: every `permission.decided` with an
 * allow-always answer of scope session, applied to its `permission.asked` in order. The engine keeps
 * them in memory while it runs; after a restart (or on another node) they are rebuilt from here, so
 * an answer the user gave is never asked again.
 */
export function sessionRulesFromLog(events: readonly StoredEvent[]): PermissionRule[] {
  const asked = new Map<string, z.infer<typeof PermissionAskedData>>()
  let rules = {
    project: [] as PermissionRule[],
    user: [] as PermissionRule[],
    session: [] as PermissionRule[],
  }
  for (const event of events) {
    if (event.type === "permission.asked") {
      const request = PermissionAskedData.safeParse(event.data)
      if (request.success && request.data.reason === "tool") asked.set(request.data.id, request.data)
    } else if (event.type === "permission.decided") {
      const decided = PermissionDecidedData.safeParse(event.data)
      if (!decided.success) continue
      const { decision, requestId } = decided.data
      const request = asked.get(requestId)
      if (!request || decision.kind !== "allow-always" || decision.scope !== "session") continue
      rules = applyDecision(rules, request, decision).rules
    }
  }
  return rules.session
}
