import type { SessionRevert, SessionState } from "@xionimus/protocol"

/**
 * Pure readings of a folded session for the chat view: what the turn is doing, what can be done
 * about it, which rewind is in effect. Kept apart from the store so that tests need no server.
 */

export type TurnNotice =
  | { kind: "running" }
  | { kind: "paused"; reason: string }
  | { kind: "interrupted"; reason: string | null }
  | { kind: "failed"; reason: string }
  | { kind: "limit"; reason: string }
  | null

export function turnNotice(state: SessionState): TurnNotice {
  const last = state.lastTurn
  if (state.runState === "running") return { kind: "running" }
  if (state.runState === "paused") {
    // A question open in the chat explains itself; other pauses (loop, budget) say why.
    if (state.openPermission) return null
    return { kind: "paused", reason: last?.message ?? last?.error?.message ?? "" }
  }
  if (state.runState === "interrupted") return { kind: "interrupted", reason: last?.message ?? null }
  if (last?.outcome === "failed")
    return { kind: "failed", reason: last.error?.message ?? last.message ?? last.error?.code ?? "" }
  if (last?.outcome === "limit" || last?.outcome === "budget")
    return { kind: "limit", reason: last.message ?? last.error?.message ?? "" }
  return null
}

/** A turn runs (or waits for an answer): Stop is offered and new messages are queued. */
export function isBusy(state: SessionState): boolean {
  return state.runState === "running" || state.runState === "paused"
}

/** Resume is offered for interrupted turns and pauses that no open question explains. */
export function canResume(state: SessionState): boolean {
  if (state.runState === "interrupted") return true
  return state.runState === "paused" && state.openPermission === null
}

/** The newest rewind still in effect, whose undo the chat offers. */
export function activeRevert(state: SessionState): SessionRevert | null {
  for (let index = state.reverts.length - 1; index >= 0; index--) {
    const revert = state.reverts[index]!
    if (!revert.undone) return revert
  }
  return null
}

/** The localStorage key of a session's unsent draft. */
export function draftKey(sessionId: string): string {
  return `xionimus.draft.${sessionId}`
}

/** "12.3k" style token counts. */
export function formatTokens(count: number, locale: string): string {
  return new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(count)
}

/** US dollars with enough digits to show small model costs. */
export function formatCost(usd: number, locale: string): string {
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: usd > 0 && usd < 0.01 ? 4 : 2,
    maximumFractionDigits: usd > 0 && usd < 0.01 ? 4 : 2,
  }).format(usd)
}

/** What a tool call is about, for its card's header: its title, else the command or path it was given. */
export function toolSubject(title: string | undefined, input: unknown): string {
  if (title) return title
  const fields = (input ?? {}) as Record<string, unknown>
  for (const key of ["command", "path", "pattern", "query"]) {
    if (typeof fields[key] === "string") return fields[key] as string
  }
  return ""
}

/** Arguments of a tool call as text for its card. */
export function formatInput(input: unknown): string {
  if (typeof input === "string") return input
  try {
    return JSON.stringify(input, null, 2) ?? ""
  } catch {
    return String(input)
  }
}
