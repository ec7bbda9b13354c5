import type { StoredEvent } from "@xionimus/protocol"
import { z } from "zod"
import { ContextSection } from "./roles.ts"
import { type RunEventData, type RunEventInput, runEvent } from "./run-events.ts"
import { applyRunEvent, type RunState } from "./run-state.ts"

/** A decision is written as "X instead of Y, because Z": the tool's schema asks for the three parts. */
export const Decision = z.strictObject({
  chosen: z.string().min(1).max(500).describe("What was decided (X)"),
  instead: z.string().min(1).max(500).describe("The alternative not taken (Y)"),
  because: z.string().min(1).max(1000).describe("Why (Z)"),
})
export type Decision = z.infer<typeof Decision>

export const ContextPatch = z.strictObject({
  section: ContextSection,
  /** The section's version the patch was written against (from the CONTEXT.md the role saw). */
  baseVersion: z.number().int().min(0),
  /** The section's new text (every section but decisions). */
  text: z.string().max(20_000).optional(),
  /** A decision to add (the decisions section only). */
  decision: Decision.optional(),
})
export type ContextPatch = z.infer<typeof ContextPatch>

export type PatchResult =
  | { ok: true; version: number; event: RunEventInput }
  | {
      ok: false
      code: "CONTEXT_NOT_OWNER" | "CONTEXT_CONFLICT" | "CONTEXT_PATCH_INVALID"
      message: string
      /** The section as it is now, so the role can redo its patch. */
      current: { version: number; text: string }
      /** The refusal to record (absent for a malformed patch, which is the tool's input error). */
      event?: RunEventInput
    }

export const sectionTitles: Record<ContextSection, string> = {
  goal: "Goal",
  decisions: "Decisions",
  plan: "Plan",
  status: "Status",
  open_questions: "Open questions",
}

export const formatDecision = (decision: Decision): string =>
  `- ${decision.chosen} instead of ${decision.instead}, because ${decision.because}`

/** The roles that own a section in the run's preset. */
export function ownersOf(state: RunState, section: ContextSection): string[] {
  return (state.preset?.roles ?? []).filter((role) => role.owns.includes(section)).map((role) => role.name)
}

/**
 * Checks a patch by `by` against the state: the owner, then the version. Returns the event to append
 * (`context.patched`, or `context.refused` for the audit trail) and what to tell the role.
 */
export function patchContext(state: RunState, by: string, patch: ContextPatch, eventId: string): PatchResult {
  const current = state.context.sections[patch.section]
  const now = { version: current.version, text: current.text }
  const refuse = (reason: "not_owner" | "stale") =>
    runEvent(eventId, "context.refused", {
      section: patch.section,
      by,
      baseVersion: patch.baseVersion,
      reason,
      currentVersion: current.version,
    })
  const owners = ownersOf(state, patch.section)
  if (!owners.includes(by))
    return {
      ok: false,
      code: "CONTEXT_NOT_OWNER",
      message: `The section "${patch.section}" belongs to ${owners.join(", ") || "nobody"}; ${by} may not change it. Send its owner a message instead.`,
      current: now,
      event: refuse("not_owner"),
    }
  const isDecisions = patch.section === "decisions"
  if (isDecisions ? !patch.decision || patch.text !== undefined : patch.text === undefined || patch.decision)
    return {
      ok: false,
      code: "CONTEXT_PATCH_INVALID",
      message: isDecisions
        ? 'The decisions section takes a decision {chosen, instead, because} ("X instead of Y, because Z"), not text.'
        : `The section "${patch.section}" takes text (its whole new content), not a decision.`,
      current: now,
    }
  if (patch.baseVersion !== current.version)
    return {
      ok: false,
      code: "CONTEXT_CONFLICT",
      message: `The section "${patch.section}" changed since version ${patch.baseVersion}: it is at version ${current.version} now. Redo your patch against the current text (below) with baseVersion ${current.version}.`,
      current: now,
      event: refuse("stale"),
    }
  const text = patch.decision
    ? [current.text, formatDecision(patch.decision)].filter(Boolean).join("\n")
    : patch.text!
  const version = current.version + 1
  return {
    ok: true,
    version,
    event: runEvent(eventId, "context.patched", {
      section: patch.section,
      by,
      baseVersion: patch.baseVersion,
      version,
      text,
    }),
  }
}

/** CONTEXT.md as the roles read it: every section with its owners and version, in a fixed order. */
export function renderContext(state: RunState): string {
  const lines = [`# CONTEXT.md (version ${state.context.version})`, ""]
  for (const section of ContextSection.options) {
    const current = state.context.sections[section]
    lines.push(
      `## ${sectionTitles[section]}`,
      `<!-- section: ${section}; owners: ${ownersOf(state, section).join(", ")}; version: ${current.version} -->`,
      "",
      current.text || (section === "goal" ? state.goal : "(empty)"),
      "",
    )
  }
  return lines.join("\n")
}

/**
 * Re-checks a step's context patches against the run as it is when the step commits: a patch that a
 * parallel step made stale meanwhile becomes `context.refused` (the role reads why in its next briefing).
 */
export function revalidatePatches(state: RunState, events: readonly RunEventInput[]): RunEventInput[] {
  let current = state
  return events.map((event) => {
    let result = event
    if (event.type === "context.patched") {
      const data = event.data as RunEventData<"context.patched">
      const now = current.context.sections[data.section]
      if (now.version !== data.baseVersion)
        result = runEvent(event.id, "context.refused", {
          section: data.section,
          by: data.by,
          baseVersion: data.baseVersion,
          reason: "stale",
          currentVersion: now.version,
        })
    }
    current = applyRunEvent(current, {
      ...result,
      stream: state.id,
      seq: current.head + 1,
      time: "",
    } as StoredEvent)
    return result
  })
}
