import type { CodedReason } from "@xionimus/protocol"
import type { PackageState, Role } from "./roles.ts"
import { type RunEventInput, runEvent } from "./run-events.ts"
import { packageById, type RunPackage, type RunState } from "./run-state.ts"

/** The work-package state machine: legal edges, who may take them, and the guards with their reasons. */

const edges: Record<PackageState, PackageState[]> = {
  draft: ["planned"],
  planned: ["assigned"],
  assigned: ["in_progress"],
  in_progress: ["ready_for_review"],
  ready_for_review: ["approved", "in_progress"],
  approved: ["done", "in_progress"],
  blocked: ["assigned", "in_progress"],
  done: [],
  cancelled: [],
}
const terminal = new Set<PackageState>(["done", "cancelled"])

export type TransitionResult =
  | { ok: true; event: RunEventInput }
  | { ok: false; code: "PACKAGE_NOT_FOUND" | "TRANSITION_NOT_ALLOWED"; reason: string; event?: RunEventInput }

/** Whether the state machine has the edge at all (blocked and cancelled are reachable from any open state). */
export function isEdge(from: PackageState, to: PackageState): boolean {
  if (terminal.has(from)) return false
  if (to === "blocked" || to === "cancelled") return from !== to
  return edges[from].includes(to)
}

export function roleMay(role: Role, from: PackageState, to: PackageState): boolean {
  return role.transitions.some(
    (allowed) =>
      allowed.to === to && (allowed.from === from || (allowed.from === "*" && !terminal.has(from))),
  )
}

/** Why the package may not become done, or undefined when it may (docs/orchestra.md). */
export function doneBlockers(state: RunState, item: RunPackage): string[] {
  const reasons: string[] = []
  if (item.approvedRevision !== item.revision || item.lastReview?.verdict !== "approve")
    reasons.push(`the reviewer has not approved the latest diff (revision ${item.revision})`)
  item.acceptance.forEach((check, index) => {
    if (check.kind === "reviewer-approval") return
    const ran = item.checks[index]
    const name =
      check.kind === "tests-pass"
        ? `tests-pass (${check.command})`
        : `files-within (${check.globs.join(", ")})`
    if (!ran || ran.revision !== item.revision)
      reasons.push(`the check ${name} has not run on revision ${item.revision}`)
    else if (!ran.passed) reasons.push(`the check ${name} is red`)
  })
  for (const kind of item.gates) {
    const gate = state.gates.findLast(
      (candidate) => candidate.kind === kind && candidate.packageId === item.id,
    )
    if (!gate || (gate.status !== "approved" && gate.status !== "edited"))
      reasons.push(`the ${kind} gate has not been approved`)
  }
  if (item.revision > 0 && !item.merged) reasons.push("the package's changes are not merged into the project")
  return reasons
}

/**
 * Checks a transition of `packageId` to `to` by `role`. A refusal carries its reason and the
 * `package.refused` event for the audit trail (recorded so a reader sees what was tried).
 */
export function transition(
  state: RunState,
  packageId: string,
  to: PackageState,
  role: Role,
  /** A role's or a person's words, or a coded reason of the engine's (its English text is the reason). */
  reason: string | CodedReason,
  eventId: string,
): TransitionResult {
  const item = packageById(state, packageId)
  if (!item) return { ok: false, code: "PACKAGE_NOT_FOUND", reason: `There is no work package ${packageId}.` }
  const refuse = (why: string): TransitionResult => ({
    ok: false,
    code: "TRANSITION_NOT_ALLOWED",
    reason: why,
    event: runEvent(eventId, "package.refused", { id: packageId, to, by: role.name, reason: why }),
  })
  if (!isEdge(item.state, to))
    return refuse(
      terminal.has(item.state)
        ? `${packageId} is ${item.state}; a ${item.state} package does not move any more.`
        : `${item.state} → ${to} is not a transition of the work-package state machine (from ${item.state}: ${[...edges[item.state], "blocked", "cancelled"].join(", ")}).`,
    )
  if (!roleMay(role, item.state, to))
    return refuse(`The role ${role.name} may not move a package from ${item.state} to ${to}.`)
  if (to === "done") {
    const blockers = doneBlockers(state, item)
    if (blockers.length > 0) return refuse(`${packageId} cannot be done: ${blockers.join("; ")}.`)
  }
  if (
    to === "approved" &&
    (item.lastReview?.verdict !== "approve" || item.approvedRevision !== item.revision)
  )
    return refuse(
      `${packageId} cannot be approved without the reviewer's approval of revision ${item.revision}.`,
    )
  const open = state.gates.find((gate) => gate.status === "open" && gate.packageId === packageId)
  if (open && to !== "blocked" && to !== "cancelled")
    return refuse(`${packageId} waits for the ${open.kind} gate ${open.id}; it moves once a person decides.`)
  return {
    ok: true,
    event: runEvent(eventId, "package.moved", {
      id: packageId,
      from: item.state,
      to,
      by: role.name,
      ...(typeof reason === "string"
        ? { reason }
        : { reason: reason.text, code: reason.code, params: reason.params }),
    }),
  }
}

/** A request for changes that reaches the package's review bound opens a `stuck` gate instead. */
export const reviewBoundReached = (item: RunPackage): boolean => item.reviewRounds >= item.limits.reviewRounds
