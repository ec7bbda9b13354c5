import {
  type ContextSection,
  PackageState,
  runPhase as phaseOf,
  type RunBudget,
  type RunGate,
  type RunMessage,
  type RunPackage,
  type RunPhase,
  type RunState,
  type RunUsage,
} from "@xionimus/protocol"

/** What the run view derives from a run's state (pure: the stores and tests call these). */

/** The board's columns in the work-package state machine's order; blocked and cancelled last. */
export const boardStates: readonly PackageState[] = PackageState.options

export interface BoardColumn {
  state: PackageState
  packages: RunPackage[]
}

/** Every column, in order; blocked and cancelled only when a package is in them. */
export function boardColumns(packages: readonly RunPackage[]): BoardColumn[] {
  return boardStates
    .map((state) => ({ state, packages: packages.filter((item) => item.state === state) }))
    .filter(
      (column) => column.packages.length > 0 || (column.state !== "blocked" && column.state !== "cancelled"),
    )
}

/** running: steps are working; waiting: a person must decide a gate; else how it ended (as the run list says). */
export type { RunPhase }

/** The run list's phase (protocol's `runPhase`), with the steps the server says run now. */
export function runPhase(state: RunState, active: readonly string[] = []): RunPhase {
  return phaseOf(state, active.length > 0)
}

export interface FlowMessage extends RunMessage {
  /** The message this one answers (its causation), when it is one of the run's messages. */
  replyTo: { seq: number; sender: string } | null
}

/** Messages in order, each with the message it answers. */
export function messageFlow(messages: readonly RunMessage[]): FlowMessage[] {
  const byId = new Map(messages.map((message) => [message.id, message]))
  return messages.map((message) => {
    const cause = message.causationId ? byId.get(message.causationId) : undefined
    return { ...message, replyTo: cause ? { seq: cause.seq, sender: cause.sender } : null }
  })
}

export interface ContextRow {
  section: ContextSection
  text: string
  version: number
  /** Roles of the preset that own the section. */
  owners: string[]
  /** The role that wrote it last. */
  by: string | null
}

const contextOrder: ContextSection[] = ["goal", "decisions", "plan", "status", "open_questions"]

/** CONTEXT.md's sections in order, with owners (from the preset), version and last writer. */
export function contextRows(state: RunState): ContextRow[] {
  const roles = state.preset?.roles ?? []
  return contextOrder.map((section) => {
    const current = state.context.sections[section] ?? { text: "", version: 0, by: null }
    return {
      section,
      text: current.text,
      version: current.version,
      by: current.by,
      owners: roles
        .filter((role) => role.owns.includes(section) && role.duty !== "human")
        .map((role) => role.name),
    }
  })
}

export interface UsageRow {
  key: string
  usage: RunUsage
}

/** Totals per role or per package, the most expensive first (then by name, so the order is stable). */
export function usageRows(totals: Record<string, RunUsage>): UsageRow[] {
  return Object.entries(totals)
    .map(([key, usage]) => ({ key, usage }))
    .sort((a, b) => b.usage.costUsd - a.usage.costUsd || a.key.localeCompare(b.key))
}

export interface BudgetUse {
  kind: "costUsd" | "tokens" | "modelCalls"
  used: number
  limit: number
  /** used / limit, capped at 1. */
  fraction: number
}

/** How much of each limit the run has used (only the limits it has). */
export function budgetUse(total: RunUsage, budget: RunBudget): BudgetUse[] {
  const used = {
    costUsd: total.costUsd,
    tokens: total.inputTokens + total.outputTokens,
    modelCalls: total.modelCalls,
  }
  return (["costUsd", "tokens", "modelCalls"] as const)
    .filter((kind) => budget[kind] !== undefined)
    .map((kind) => {
      const limit = budget[kind]!
      return { kind, used: used[kind], limit, fraction: limit > 0 ? Math.min(1, used[kind] / limit) : 1 }
    })
}

export interface PlanDraftItem {
  id: string
  title: string
  instructions: string
}

/** The plan a person edits at a plan gate: the packages as planned (titles and instructions). */
export function planDraft(state: RunState, gate: RunGate): PlanDraftItem[] {
  if (gate.kind !== "plan") return []
  return state.packages
    .filter((item) => item.state !== "cancelled")
    .map((item) => ({ id: item.id, title: item.title, instructions: item.instructions }))
}

/** The edit payload of a plan gate: only what changed, per package (PlanEdit); null when nothing did. */
export function planEditPayload(
  original: readonly PlanDraftItem[],
  edited: readonly PlanDraftItem[],
): { packages: { id: string; title?: string; instructions?: string }[] } | null {
  const changes = edited.flatMap((item) => {
    const before = original.find((candidate) => candidate.id === item.id)
    if (!before) return []
    const title = item.title.trim()
    const instructions = item.instructions.trim()
    const change: { id: string; title?: string; instructions?: string } = { id: item.id }
    if (title && title !== before.title) change.title = title
    if (instructions && instructions !== before.instructions.trim()) change.instructions = instructions
    return change.title || change.instructions ? [change] : []
  })
  return changes.length > 0 ? { packages: changes } : null
}

/** A budget written as three optional fields in a form ("" is no limit); null when one is not a number. */
export function parseBudget(fields: {
  costUsd: string
  tokens: string
  modelCalls: string
}): RunBudget | null {
  const budget: RunBudget = {}
  const cost = fields.costUsd.trim().replace(",", ".")
  if (cost) {
    const value = Number(cost)
    if (!Number.isFinite(value) || value < 0) return null
    budget.costUsd = value
  }
  for (const key of ["tokens", "modelCalls"] as const) {
    const text = fields[key].trim()
    if (!text) continue
    const value = Number(text)
    if (!Number.isInteger(value) || value < 1) return null
    budget[key] = value
  }
  return budget
}

/**
 * Acceptance checks of a package that hold: those whose last run passed, and a reviewer-approval check
 * when the reviewer approved the package's latest revision (the engine records that as a review, not a run).
 */
export function checksPassed(item: RunPackage): number {
  return item.acceptance.filter((check, index) =>
    check.kind === "reviewer-approval" && !item.checks[index]
      ? item.approvedRevision !== null && item.approvedRevision === item.revision
      : item.checks[index]?.passed === true,
  ).length
}
